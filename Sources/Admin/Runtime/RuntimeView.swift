/// The admin API's window on the running gateway.
///
/// The Admin target does not depend on the data plane: the gateway (or a test) implements
/// this protocol and hands out plain values of what it serves now.
public protocol RuntimeView: Sendable {
    /// What the gateway serves now; `nil` while the first configuration is still loading.
    func currentState() async -> RuntimeState?
}
