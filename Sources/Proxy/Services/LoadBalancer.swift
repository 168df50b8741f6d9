import NIOCore
import NIOHTTP1

/// A `loadBalancer` service's servers and how one is picked: smooth weighted round robin (`wrr`)
/// or power of two choices (`p2c`, the less busy of two random servers), over the servers their
/// health checks leave available, with an optional sticky cookie.
public final class LoadBalancer: Sendable {
    /// How a server is picked.
    public enum Strategy: Sendable {
        case weightedRoundRobin
        case powerOfTwoChoices
    }

    public let servers: [Upstream]
    /// Forward the client's Host header (Traefik's `passHostHeader`, default `true`).
    public let passHostHeader: Bool
    public let strategy: Strategy
    public let sticky: StickyCookie?
    /// Passive health checking, when configured.
    public let passiveHealth: PassiveHealthPolicy?
    /// `responseForwarding.flushInterval`: responses of known length are flushed to the client at
    /// most this often while they stream; `nil` (a negative interval) flushes after every backend
    /// read, as do server-sent events and responses of unknown length. Default 100ms.
    public let flushInterval: TimeAmount?
    private let cursor: WeightedCursor
    private let stickyValues: [String]

    public init(servers: [Upstream], passHostHeader: Bool = true, strategy: Strategy = .weightedRoundRobin,
                sticky: StickyCookie? = nil, passiveHealth: PassiveHealthPolicy? = nil,
                flushInterval: TimeAmount? = .milliseconds(100)) {
        self.servers = servers
        self.flushInterval = flushInterval
        self.passHostHeader = passHostHeader
        self.strategy = strategy
        self.sticky = sticky
        self.passiveHealth = passiveHealth
        self.cursor = WeightedCursor(weights: servers.map(\.weight))
        self.stickyValues = sticky == nil ? [] : servers.map { StickyCookie.value(for: $0.url) }
    }

    /// Whether some server with a positive weight is available.
    var isAvailable: Bool {
        servers.contains { $0.weight > 0 && $0.health.isAvailable }
    }

    func pick(_ headers: HTTPHeaders, cookies: inout [String]) -> Upstream? {
        if let sticky, let value = sticky.value(in: headers),
           let index = stickyValues.firstIndex(where: { $0[...] == value }),
           servers[index].weight > 0, servers[index].health.isAvailable {
            return servers[index]
        }
        let index: Int?
        switch strategy {
        case .weightedRoundRobin: index = nextRoundRobin()
        case .powerOfTwoChoices: index = nextOfTwo()
        }
        guard let index else { return nil }
        if let sticky { cookies.append(sticky.setCookie(stickyValues[index])) }
        return servers[index]
    }

    @inline(__always)
    private func nextRoundRobin() -> Int? {
        cursor.next { servers[$0].health.isAvailable }
    }

    private func nextOfTwo() -> Int? {
        let candidates = servers.indices.filter { servers[$0].weight > 0 && servers[$0].health.isAvailable }
        switch candidates.count {
        case 0: return nil
        case 1: return candidates[0]
        default:
            let first = candidates.randomElement()!
            var second = candidates.randomElement()!
            while second == first { second = candidates.randomElement()! }
            let a = servers[first].health.inFlight.load(ordering: .relaxed)
            let b = servers[second].health.inFlight.load(ordering: .relaxed)
            return a <= b ? first : second
        }
    }
}
