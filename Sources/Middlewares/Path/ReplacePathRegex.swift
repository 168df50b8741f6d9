/// `replacePathRegex`: when the expression matches the path, every match is replaced by the
/// replacement (with `$1`-style groups); the original path goes to `X-Replaced-Path`.
public struct ReplacePathRegex: HTTPMiddleware {
    let expression: GoRegexp
    let replacement: String

    /// - Throws: ``MiddlewareConfigurationError`` when the expression is missing or does not compile.
    public init(regex: String?, replacement: String?, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let regex else { throw MiddlewareConfigurationError(keyPath: "\(keyPath).regex", "regex is required") }
        self.expression = try GoRegexp(regex.trimmingSpaces, keyPath: "\(keyPath).regex")
        self.replacement = replacement ?? ""
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        let path = String(request.path)
        guard expression.matches(path) else { return .proceed }
        request.head.headers.add(name: PathRewriting.replacedPathHeader, value: path)
        request.setPath(expression.replaceAll(in: path, with: replacement))
        return .proceed
    }
}
