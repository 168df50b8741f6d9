/// `addPrefix`: prepends a prefix to the forwarded path.
public struct AddPrefix: HTTPMiddleware {
    let prefix: String

    /// - Throws: ``MiddlewareConfigurationError`` when `prefix` is missing or empty.
    public init(prefix: String?, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let prefix, !prefix.isEmpty else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).prefix", "prefix cannot be empty")
        }
        self.prefix = prefix
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        request.setPath(PathRewriting.ensureLeadingSlash(prefix + request.path))
        return .proceed
    }
}
