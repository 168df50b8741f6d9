import Config

/// Builds the middlewares of one configuration snapshot: each configured middleware once, shared
/// by every router that lists it, and each router's list (chains flattened) as a
/// ``MiddlewareChain``.
///
/// Errors stay with the middleware that has them: a router whose list reaches a broken, unknown
/// or not yet available middleware, or a chain that contains itself, gets that error and the
/// caller disables only that router.
public final class MiddlewareCatalog {
    private let configured: [String: Middleware]
    private let origins: ItemOrigins
    private let errorPages: (String) -> (any ErrorPageSource)?
    private var built: [String: Result<[(String, any HTTPMiddleware)], MiddlewareConfigurationError>] = [:]

    /// - Parameters:
    ///   - middlewares: `http.middlewares`, by name without provider suffix.
    ///   - origins: the provider of each middleware (references resolve within the referring
    ///     item's provider, see ``Config/ItemOrigins``); all the file provider's by default.
    ///   - errorPages: the error-page source for a service reference with its provider made
    ///     explicit (`name@file`, `name@api`), `nil` for a service that is missing or disabled;
    ///     used by `errors`.
    public init(_ middlewares: [String: Middleware], origins: ItemOrigins = ItemOrigins(),
                errorPages: @escaping (String) -> (any ErrorPageSource)? = { _ in nil }) {
        self.configured = middlewares
        self.origins = origins
        self.errorPages = errorPages
    }

    /// The chain for the `middlewares` list of a router of `provider` (bare names are that
    /// provider's middlewares). Middlewares with a state of their own per router
    /// (``PerRouterMiddleware``: the circuit breaker) get a new instance for each call.
    ///
    /// - Throws: ``MiddlewareConfigurationError`` for the first listed middleware that cannot be served.
    public func chain(for names: [String], from provider: ConfigProvider = .file) throws(MiddlewareConfigurationError) -> MiddlewareChain {
        var middlewares: [any HTTPMiddleware] = []
        var qualified: [String] = []
        for name in names {
            for (full, middleware) in try resolve(name, from: provider, path: []) {
                middlewares.append((middleware as? any PerRouterMiddleware)?.instanceForRouter() ?? middleware)
                qualified.append(full)
            }
        }
        return MiddlewareChain(middlewares, names: qualified)
    }

    private func resolve(
        _ reference: String, from referrer: ConfigProvider, path: [String]
    ) throws(MiddlewareConfigurationError) -> [(String, any HTTPMiddleware)] {
        guard let name = origins.resolvedName(reference, kind: .httpMiddleware, from: referrer) else {
            throw MiddlewareConfigurationError(
                keyPath: "http.middlewares", "middleware \"\(ItemOrigins.qualifiedReference(reference, from: referrer))\" does not exist")
        }
        if path.contains(name) {
            throw MiddlewareConfigurationError(
                keyPath: "http.middlewares.\(path[0])", "chain refers to itself: \((path + [name]).joined(separator: " → "))")
        }
        if let done = built[name] { return try done.get() }
        guard let config = configured[name] else {
            throw MiddlewareConfigurationError(keyPath: "http.middlewares.\(name)", "middleware \"\(reference)\" does not exist")
        }
        let keyPath = "http.middlewares.\(name).\(config.kindName)"
        let provider = origins[.httpMiddleware, name]
        let errorPages = self.errorPages
        let ownErrorPages: (String) -> (any ErrorPageSource)? = { errorPages(ItemOrigins.qualifiedReference($0, from: provider)) }
        let result: Result<[(String, any HTTPMiddleware)], MiddlewareConfigurationError>
        do {
            if case .chain(let chain) = config {
                var flattened: [(String, any HTTPMiddleware)] = []
                for inner in chain.middlewares ?? [] {
                    flattened += try resolve(inner, from: provider, path: path + [name])
                }
                result = .success(flattened)
            } else {
                result = .success([(provider.qualify(name), try Self.make(config, keyPath: keyPath, errorPages: ownErrorPages))])
            }
        } catch {
            result = .failure(error)
        }
        // A middleware on a cycle is on it whichever way it is reached: its error is kept too.
        built[name] = result
        return try result.get()
    }

    /// One middleware from its configuration.
    static func make(
        _ config: Middleware, keyPath: String, errorPages: (String) -> (any ErrorPageSource)? = { _ in nil }
    ) throws(MiddlewareConfigurationError) -> any HTTPMiddleware {
        switch config {
        case .addPrefix(let c):
            return try AddPrefix(prefix: c.prefix, keyPath: keyPath)
        case .stripPrefix(let c):
            return StripPrefix(prefixes: c.prefixes ?? [], forceSlash: c.forceSlash ?? false)
        case .stripPrefixRegex(let c):
            return try StripPrefixRegex(regex: c.regex ?? [], keyPath: keyPath)
        case .replacePath(let c):
            return try ReplacePath(path: c.path, keyPath: keyPath)
        case .replacePathRegex(let c):
            return try ReplacePathRegex(regex: c.regex, replacement: c.replacement, keyPath: keyPath)
        case .redirectScheme(let c):
            return try RedirectScheme(scheme: c.scheme, port: c.port, permanent: c.permanent ?? false, keyPath: keyPath)
        case .redirectRegex(let c):
            return try RedirectRegex(regex: c.regex, replacement: c.replacement, permanent: c.permanent ?? false, keyPath: keyPath)
        case .headers(let c):
            return try HeadersMiddleware(c, keyPath: keyPath)
        case .ipAllowList(let c):
            return try IPAllowList(c, keyPath: keyPath)
        case .basicAuth(let c):
            return try BasicAuth(c, keyPath: keyPath)
        case .digestAuth(let c):
            return try DigestAuth(c, keyPath: keyPath)
        case .rateLimit(let c):
            return try RateLimit(c, keyPath: keyPath)
        case .inFlightReq(let c):
            return try InFlightRequests(c, keyPath: keyPath)
        case .forwardAuth(let c):
            return try ForwardAuth(c, keyPath: keyPath)
        case .passTLSClientCert(let c):
            return PassTLSClientCert(c)
        case .retry(let c):
            return try Retry(c, keyPath: keyPath)
        case .buffering(let c):
            return try Buffering(c, keyPath: keyPath)
        case .circuitBreaker(let c):
            return try CircuitBreaker(c, keyPath: keyPath)
        case .compress(let c):
            return try Compress(c, keyPath: keyPath)
        case .contentType(let c):
            return ContentTypeDetection(c)
        case .errors(let c):
            return try ErrorPages(c, keyPath: keyPath, errorPages: errorPages)
        case .chain:
            preconditionFailure("chains are flattened by resolve")
        case .grpcWeb:
            throw MiddlewareConfigurationError(
                keyPath: keyPath, "the \(config.kindName) middleware is not available yet; the router is disabled rather than served without it")
        }
    }
}
