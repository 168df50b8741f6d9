import Config
import Routing

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

    /// The key requests are grouped under.
    func source(of request: MiddlewareRequest) -> SourceKey {
        switch kind {
        case .clientIP(let strategy): return .address(strategy.clientIP(of: request))
        case .header(let name): return .text(request.header(name) ?? "")
        case .host: return .text(request.host)
        }
    }
}

/// What requests are counted under: a client address (none when the strategy finds none), or a
/// header's or the host's text. Addresses are kept as they are, never formatted per request.
enum SourceKey: Hashable, Sendable {
    case address(IPAddress?)
    case text(String)
}
