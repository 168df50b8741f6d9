import Config

/// What rateLimit and inFlightReq count requests by (Traefik's `sourceCriterion`): the client
/// address found by an `ipStrategy`, a request header's value, or the request host. Without
/// any, the connection peer's address.
struct SourceExtractor: Sendable {
    private enum Kind: Sendable {
        case clientIP(ClientIPStrategy)
        case header(String)
        case host
    }

    private let kind: Kind

    /// - Throws: ``MiddlewareConfigurationError`` for an `ipStrategy` that is not valid.
    init(_ config: Middleware.SourceCriterion?, keyPath: String) throws(MiddlewareConfigurationError) {
        if let strategy = config?.ipStrategy {
            kind = .clientIP(try ClientIPStrategy(strategy, keyPath: "\(keyPath).ipStrategy"))
        } else if let header = config?.requestHeaderName, !header.isEmpty {
            kind = .header(header)
        } else if config?.requestHost == true {
            kind = .host
        } else {
            kind = .clientIP(try ClientIPStrategy(nil, keyPath: keyPath))
        }
    }

    /// The key requests are grouped under; an empty string when the request has none.
    func source(of request: MiddlewareRequest) -> String {
        switch kind {
        case .clientIP(let strategy): return strategy.clientIP(of: request).map { "\($0)" } ?? ""
        case .header(let name): return request.header(name) ?? ""
        case .host: return request.host
        }
    }
}
