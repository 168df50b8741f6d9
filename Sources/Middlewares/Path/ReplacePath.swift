/// `replacePath`: forwards every request with one fixed path (the query is kept); the original
/// path goes to `X-Replaced-Path`.
public struct ReplacePath: HTTPMiddleware {
    let path: String

    /// - Throws: ``MiddlewareConfigurationError`` when `path` is missing.
    public init(path: String?, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let path else { throw MiddlewareConfigurationError(keyPath: "\(keyPath).path", "path is required") }
        self.path = path
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        request.head.headers.add(name: PathRewriting.replacedPathHeader, value: String(request.path))
        request.setPath(path)
        return .proceed
    }
}
