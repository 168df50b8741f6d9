/// `redirectRegex`: redirects to the request URL (`scheme://host/path?query`) rewritten by a
/// regular expression, when it matches and the result differs.
public struct RedirectRegex: HTTPMiddleware {
    let redirect: Redirect

    /// - Throws: ``MiddlewareConfigurationError`` when `regex` or `replacement` is missing, or
    ///   the expression does not compile.
    public init(regex: String?, replacement: String?, permanent: Bool, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let regex else { throw MiddlewareConfigurationError(keyPath: "\(keyPath).regex", "regex is required") }
        guard let replacement else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).replacement", "replacement is required")
        }
        let expression = try GoRegexp(regex, keyPath: "\(keyPath).regex")
        self.redirect = Redirect(expression: expression, replacement: replacement, permanent: permanent, form: .raw)
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        redirect.handle(request)
    }
}
