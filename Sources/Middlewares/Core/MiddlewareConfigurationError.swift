/// A middleware whose configuration cannot be served; the routers using it are disabled.
public struct MiddlewareConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The key path of the offending option, e.g. `http.middlewares.auth.basicAuth.users[1]`.
    public let keyPath: String
    /// What is wrong with it.
    public let message: String

    /// An error at `keyPath`.
    public init(keyPath: String, _ message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String { "\(keyPath): \(message)" }
}
