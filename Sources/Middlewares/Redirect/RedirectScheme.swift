/// `redirectScheme`: redirects to the same URL with another scheme (and port), unless the request
/// already has them.
public struct RedirectScheme: HTTPMiddleware {
    let redirect: Redirect

    /// - Parameters:
    ///   - scheme: the target scheme, e.g. `https`.
    ///   - port: the target port; left out of the Location when it is the scheme's default.
    ///   - permanent: 301/308 rather than 302/307.
    /// - Throws: ``MiddlewareConfigurationError`` when `scheme` is missing or `port` is not a number.
    public init(scheme: String?, port: String?, permanent: Bool, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let scheme, !scheme.isEmpty else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).scheme", "scheme is required")
        }
        var portPart = ""
        if let port, !port.isEmpty {
            guard let number = Int(port), (1...65535).contains(number) else {
                throw MiddlewareConfigurationError(keyPath: "\(keyPath).port", "port \"\(port)\" is not a port number")
            }
            if !((scheme == "http" && number == 80) || (scheme == "https" && number == 443)) { portPart = ":\(number)" }
        }
        let expression = try GoRegexp(#"^(https?:\/\/)?(\[[\w:.]+\]|[\w\._-]+)?(:\d+)?(.*)$"#, keyPath: keyPath)
        self.redirect = Redirect(expression: expression, replacement: scheme + "://${2}" + portPart + "${4}",
                                 permanent: permanent, form: .client)
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        redirect.handle(request)
    }
}
