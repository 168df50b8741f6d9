import Config
import NIOHTTP1

/// `headers`: custom request and response headers, the security headers (HSTS, frame options,
/// nosniff, XSS filter, CSP, referrer and permissions policies), allowed hosts, and CORS —
/// with Traefik's meaning for each option.
///
/// An empty custom header value removes the header. Security and CORS headers are set on every
/// response that passes back through the middleware, including answers of later middlewares.
/// A CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered
/// here with 200 when any CORS option is set.
public struct HeadersMiddleware: HTTPMiddleware {
    private let requestHeaders: [(String, String)]
    private let responseHeaders: [(String, String)]
    /// Security headers computed once; `Strict-Transport-Security` is kept apart (TLS only).
    private let securityHeaders: [(String, String)]
    private let sts: String?
    private let forceSTS: Bool
    private let sslProxyHeaders: [(String, String)]
    private let allowedHosts: Set<String>
    private let hostsProxyHeaders: [String]
    private let cors: CORS?

    struct CORS: Sendable {
        let allowCredentials: Bool
        let allowHeaders: String
        let allowMethods: String
        let originList: [String]
        let originRegexes: [GoRegexp]
        let exposeHeaders: String
        let maxAge: Int64
        let addVary: Bool

        /// Traefik's `isOriginAllowed`: a listed `*` allows every origin and is sent as `*`.
        func allowedOrigin(_ origin: String) -> String? {
            for item in originList where item == "*" || item == origin { return item }
            for regex in originRegexes where regex.matches(origin) { return origin }
            return nil
        }
    }

    /// - Throws: ``MiddlewareConfigurationError`` when an origin expression does not compile.
    public init(_ config: Middleware.Headers, keyPath: String) throws(MiddlewareConfigurationError) {
        requestHeaders = (config.customRequestHeaders ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        responseHeaders = (config.customResponseHeaders ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var security: [(String, String)] = []
        if let value = config.customFrameOptionsValue, !value.isEmpty {
            security.append(("X-Frame-Options", value))
        } else if config.frameDeny == true {
            security.append(("X-Frame-Options", "DENY"))
        }
        if config.contentTypeNosniff == true { security.append(("X-Content-Type-Options", "nosniff")) }
        if let value = config.customBrowserXSSValue, !value.isEmpty {
            security.append(("X-XSS-Protection", value))
        } else if config.browserXssFilter == true {
            security.append(("X-XSS-Protection", "1; mode=block"))
        }
        if let value = config.contentSecurityPolicy, !value.isEmpty { security.append(("Content-Security-Policy", value)) }
        if let value = config.contentSecurityPolicyReportOnly, !value.isEmpty {
            security.append(("Content-Security-Policy-Report-Only", value))
        }
        if let value = config.publicKey, !value.isEmpty { security.append(("Public-Key-Pins", value)) }
        if let value = config.referrerPolicy, !value.isEmpty { security.append(("Referrer-Policy", value)) }
        if let value = config.permissionsPolicy, !value.isEmpty { security.append(("Permissions-Policy", value)) }
        securityHeaders = security
        let development = config.isDevelopment == true
        if let seconds = config.stsSeconds, seconds > 0, !development {
            var value = "max-age=\(seconds)"
            if config.stsIncludeSubdomains == true { value += "; includeSubDomains" }
            if config.stsPreload == true { value += "; preload" }
            sts = value
        } else {
            sts = nil
        }
        forceSTS = config.forceSTSHeader == true
        sslProxyHeaders = (config.sslProxyHeaders ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        allowedHosts = development ? [] : Set(config.allowedHosts ?? [])
        hostsProxyHeaders = config.hostsProxyHeaders ?? []

        let hasCORS = config.accessControlAllowCredentials != nil || config.accessControlAllowHeaders != nil
            || config.accessControlAllowMethods != nil || config.accessControlAllowOriginList != nil
            || config.accessControlAllowOriginListRegex != nil || config.accessControlExposeHeaders != nil
            || config.accessControlMaxAge != nil || config.addVaryHeader != nil
        if hasCORS {
            var regexes: [GoRegexp] = []
            for (index, pattern) in (config.accessControlAllowOriginListRegex ?? []).enumerated() {
                regexes.append(try GoRegexp(pattern, keyPath: "\(keyPath).accessControlAllowOriginListRegex[\(index)]"))
            }
            cors = CORS(
                allowCredentials: config.accessControlAllowCredentials == true,
                allowHeaders: (config.accessControlAllowHeaders ?? []).joined(separator: ","),
                allowMethods: (config.accessControlAllowMethods ?? []).joined(separator: ","),
                originList: config.accessControlAllowOriginList ?? [],
                originRegexes: regexes,
                exposeHeaders: (config.accessControlExposeHeaders ?? []).joined(separator: ","),
                maxAge: config.accessControlMaxAge ?? 0,
                addVary: config.addVaryHeader == true
            )
        } else {
            cors = nil
        }
    }

    public var editsResponses: Bool {
        !responseHeaders.isEmpty || !securityHeaders.isEmpty || sts != nil || cors != nil
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        if !allowedHosts.isEmpty {
            var host = request.host
            for name in hostsProxyHeaders {
                if let value = request.header(name), !value.isEmpty {
                    host = value
                    break
                }
            }
            guard allowedHosts.contains(host) else {
                var response = MiddlewareResponse(status: .internalServerError, body: "Bad Host\n")
                response.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
                return .respond(response)
            }
        }
        if let cors, request.head.method == .OPTIONS, let origin = request.header("origin"),
           request.header("access-control-request-method")?.isEmpty == false {
            return .respond(preflight(cors, origin: origin))
        }
        for (name, value) in requestHeaders {
            if value.isEmpty {
                request.head.headers.remove(name: name)
            } else {
                request.head.headers.replaceOrAdd(name: name, value: value)
            }
        }
        return .proceed
    }

    public func handleResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest) {
        if let sts, forceSTS || isSecure(request) {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: sts)
        }
        for (name, value) in securityHeaders {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        for (name, value) in responseHeaders {
            if value.isEmpty {
                response.headers.remove(name: name)
            } else {
                response.headers.replaceOrAdd(name: name, value: value)
            }
        }
        guard let cors else { return }
        if let origin = request.header("origin"), let allowed = cors.allowedOrigin(origin) {
            response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: allowed)
        }
        if cors.allowCredentials {
            response.headers.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true")
        }
        if !cors.exposeHeaders.isEmpty {
            response.headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: cors.exposeHeaders)
        }
        if cors.addVary {
            let vary = response.headers.first(name: "vary") ?? ""
            if vary != "Origin" {
                response.headers.replaceOrAdd(name: "Vary", value: vary.isEmpty ? "Origin" : vary + ",Origin")
            }
        }
    }

    private func preflight(_ cors: CORS, origin: String) -> MiddlewareResponse {
        var response = MiddlewareResponse(status: .ok)
        // The security headers are written before the CORS handler answers, as in Traefik.
        for (name, value) in securityHeaders { response.headers.add(name: name, value: value) }
        if cors.allowCredentials { response.headers.add(name: "Access-Control-Allow-Credentials", value: "true") }
        if !cors.allowHeaders.isEmpty { response.headers.add(name: "Access-Control-Allow-Headers", value: cors.allowHeaders) }
        if !cors.allowMethods.isEmpty { response.headers.add(name: "Access-Control-Allow-Methods", value: cors.allowMethods) }
        if let allowed = cors.allowedOrigin(origin) { response.headers.add(name: "Access-Control-Allow-Origin", value: allowed) }
        response.headers.add(name: "Access-Control-Max-Age", value: String(cors.maxAge))
        return response
    }

    /// TLS, or a request carrying one of `sslProxyHeaders` with its value.
    private func isSecure(_ request: MiddlewareRequest) -> Bool {
        if request.isTLS { return true }
        return sslProxyHeaders.contains { name, value in request.header(name) == value }
    }
}
