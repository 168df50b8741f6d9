/// A TCP service: servers, or other services, chosen per new connection by smooth weighted round
/// robin (as nginx and Traefik's WRR do: over any window of total-weight picks, each child is
/// chosen exactly its weight's share of times, interleaved rather than in runs).
///
/// `loadBalancer` services hold servers, `weighted` services hold other balancers. Children of
/// weight 0 are never chosen. Shared by every connection of every router naming the service.
public final class TCPBalancer: Sendable {
    /// What a balancer chooses between.
    public enum Child: Sendable {
        /// A server.
        case server(TCPBackend)
        /// Another service, with its weight in this one.
        case service(TCPBalancer, weight: Int)

        var weight: Int {
            switch self {
            case .server(let backend): return backend.weight
            case .service(_, let weight): return weight
            }
        }
    }

    /// The service's name, e.g. `app@file`.
    public let name: String
    public let children: [Child]
    private let cursor: WeightedCursor

    /// A balancer over `children`.
    public init(name: String, children: [Child]) {
        self.name = name
        self.children = children
        self.cursor = WeightedCursor(weights: children.map(\.weight))
    }

    /// A `loadBalancer` service over `servers`.
    public convenience init(name: String, servers: [TCPBackend]) {
        self.init(name: name, children: servers.map { .server($0) })
    }

    /// The server for a new connection; `nil` when no child has a positive weight (or a chosen
    /// service has none).
    public func next() -> TCPBackend? {
        guard let index = cursor.next() else { return nil }
        switch children[index] {
        case .server(let backend): return backend
        case .service(let balancer, _): return balancer.next()
        }
    }
}
