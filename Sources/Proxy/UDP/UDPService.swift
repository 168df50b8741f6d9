/// A UDP service: weighted round robin over servers (`loadBalancer`) or over other UDP services
/// (`weighted`). A pick is made once per session, never per datagram.
///
/// Picking is lock-free: weights are unrolled once into a smooth weighted round-robin schedule
/// (the one HTTP services use), and a shared atomic counter walks it.
public final class UDPService: Sendable {
    /// What the service balances over.
    public enum Members: Sendable {
        /// Backend servers (`loadBalancer.servers`).
        case servers([UDPServer])
        /// Other services with their weights (`weighted.services`).
        case services([(service: UDPService, weight: Int)])
    }

    /// The service's name as shown in logs, e.g. `dns@file`.
    public let name: String
    public let members: Members
    private let cursor: WeightedCursor

    public init(name: String, members: Members) {
        self.name = name
        self.members = members
        switch members {
        case .servers(let servers):
            cursor = WeightedCursor(weights: servers.map(\.weight))
        case .services(let children):
            cursor = WeightedCursor(weights: children.map(\.weight))
        }
    }

    /// A load balancer over `servers`.
    public convenience init(name: String, servers: [UDPServer]) {
        self.init(name: name, members: .servers(servers))
    }

    /// The server for a new session, or `nil` when no member has a positive weight (or a
    /// weighted child has none).
    public func nextServer() -> UDPServer? {
        guard let slot = cursor.next() else { return nil }
        switch members {
        case .servers(let servers): return servers[slot]
        case .services(let children): return children[slot].service.nextServer()
        }
    }
}
