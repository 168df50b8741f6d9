import Hummingbird
import Storage

/// The request context of the admin API: Hummingbird's core storage plus the token that
/// authenticated the request, once ``BearerAuthentication`` has checked it.
public struct AdminRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The token presented with the request, when it is a known one; `nil` before
    /// authentication and on routes that need none.
    public var token: TokenRecord?

    /// A context for a new request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
