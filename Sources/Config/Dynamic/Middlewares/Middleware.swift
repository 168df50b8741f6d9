/// `http.middlewares.<name>`: exactly one of Traefik's HTTP middlewares, with its options.
///
/// This is the model only; each middleware's behaviour lives with the data plane.
public enum Middleware: Sendable, Equatable {
    /// `addPrefix`: Prepend a path prefix.
    case addPrefix(AddPrefix)
    /// `stripPrefix`: Remove a path prefix.
    case stripPrefix(StripPrefix)
    /// `stripPrefixRegex`: Remove a path prefix matching a regular expression.
    case stripPrefixRegex(StripPrefixRegex)
    /// `replacePath`: Replace the path.
    case replacePath(ReplacePath)
    /// `replacePathRegex`: Rewrite the path with a regular expression.
    case replacePathRegex(ReplacePathRegex)
    /// `redirectScheme`: Redirect to another scheme.
    case redirectScheme(RedirectScheme)
    /// `redirectRegex`: Redirect by rewriting the URL.
    case redirectRegex(RedirectRegex)
    /// `headers`: Custom, CORS and security headers.
    case headers(Headers)
    /// Also read from the deprecated `ipWhiteList`.
    case ipAllowList(IPAllowList)
    /// `rateLimit`: Token-bucket rate limit.
    case rateLimit(RateLimit)
    /// `inFlightReq`: Limit simultaneous requests.
    case inFlightReq(InFlightReq)
    /// `basicAuth`: HTTP Basic authentication.
    case basicAuth(BasicAuth)
    /// `digestAuth`: HTTP Digest authentication.
    case digestAuth(DigestAuth)
    /// `forwardAuth`: Delegate authentication to another service.
    case forwardAuth(ForwardAuth)
    /// `compress`: Compress responses.
    case compress(Compress)
    /// `buffering`: Buffer request and response bodies.
    case buffering(Buffering)
    /// `retry`: Retry on network errors.
    case retry(Retry)
    /// `circuitBreaker`: Stop calling an unhealthy service.
    case circuitBreaker(CircuitBreaker)
    /// `errors`: Error pages from another service.
    case errors(Errors)
    /// `chain`: A reusable list of middlewares.
    case chain(Chain)
    /// `contentType`: Content-Type detection.
    case contentType(ContentType)
    /// `passTLSClientCert`: Pass the client certificate in headers.
    case passTLSClientCert(PassTLSClientCert)
    /// `grpcWeb`: gRPC-Web to gRPC translation.
    case grpcWeb(GRPCWeb)

    /// The key naming this middleware's kind, e.g. `rateLimit`.
    public var kindName: String {
        switch self {
        case .addPrefix: "addPrefix"
        case .stripPrefix: "stripPrefix"
        case .stripPrefixRegex: "stripPrefixRegex"
        case .replacePath: "replacePath"
        case .replacePathRegex: "replacePathRegex"
        case .redirectScheme: "redirectScheme"
        case .redirectRegex: "redirectRegex"
        case .headers: "headers"
        case .ipAllowList: "ipAllowList"
        case .rateLimit: "rateLimit"
        case .inFlightReq: "inFlightReq"
        case .basicAuth: "basicAuth"
        case .digestAuth: "digestAuth"
        case .forwardAuth: "forwardAuth"
        case .compress: "compress"
        case .buffering: "buffering"
        case .retry: "retry"
        case .circuitBreaker: "circuitBreaker"
        case .errors: "errors"
        case .chain: "chain"
        case .contentType: "contentType"
        case .passTLSClientCert: "passTLSClientCert"
        case .grpcWeb: "grpcWeb"
        }
    }

    /// Middleware names this one refers to (`chain`).
    public var referencedMiddlewares: [String] {
        if case .chain(let chain) = self { return chain.middlewares ?? [] }
        return []
    }

    /// Service names this one refers to (`errors`).
    public var referencedServices: [String] {
        if case .errors(let errors) = self, let service = errors.service { return [service] }
        return []
    }
}

extension Middleware: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        m.unsupported(["plugin"], reason: "Traefik plugins are not supported")
        m.unsupported(["stripPrefixRegEx"], reason: "use \"stripPrefixRegex\"")
        self = try m.oneOf("middleware type", [
            ("addPrefix", { r throws(ConfigError) in .addPrefix(try r.decode()) }),
            ("stripPrefix", { r throws(ConfigError) in .stripPrefix(try r.decode()) }),
            ("stripPrefixRegex", { r throws(ConfigError) in .stripPrefixRegex(try r.decode()) }),
            ("replacePath", { r throws(ConfigError) in .replacePath(try r.decode()) }),
            ("replacePathRegex", { r throws(ConfigError) in .replacePathRegex(try r.decode()) }),
            ("redirectScheme", { r throws(ConfigError) in .redirectScheme(try r.decode()) }),
            ("redirectRegex", { r throws(ConfigError) in .redirectRegex(try r.decode()) }),
            ("headers", { r throws(ConfigError) in .headers(try r.decode()) }),
            ("ipAllowList", { r throws(ConfigError) in .ipAllowList(try r.decode()) }),
            ("ipWhiteList", { r throws(ConfigError) in .ipAllowList(try r.decode()) }),
            ("rateLimit", { r throws(ConfigError) in .rateLimit(try r.decode()) }),
            ("inFlightReq", { r throws(ConfigError) in .inFlightReq(try r.decode()) }),
            ("basicAuth", { r throws(ConfigError) in .basicAuth(try r.decode()) }),
            ("digestAuth", { r throws(ConfigError) in .digestAuth(try r.decode()) }),
            ("forwardAuth", { r throws(ConfigError) in .forwardAuth(try r.decode()) }),
            ("compress", { r throws(ConfigError) in .compress(try r.decode()) }),
            ("buffering", { r throws(ConfigError) in .buffering(try r.decode()) }),
            ("retry", { r throws(ConfigError) in .retry(try r.decode()) }),
            ("circuitBreaker", { r throws(ConfigError) in .circuitBreaker(try r.decode()) }),
            ("errors", { r throws(ConfigError) in .errors(try r.decode()) }),
            ("chain", { r throws(ConfigError) in .chain(try r.decode()) }),
            ("contentType", { r throws(ConfigError) in .contentType(try r.decode()) }),
            ("passTLSClientCert", { r throws(ConfigError) in .passTLSClientCert(try r.decode()) }),
            ("grpcWeb", { r throws(ConfigError) in .grpcWeb(try r.decode()) }),
        ])
    }
}
