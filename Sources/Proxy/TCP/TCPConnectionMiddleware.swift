import NIOConcurrencyHelpers
import Routing

/// A TCP middleware (`tcp.middlewares`): decides, when a connection is routed, whether it may go
/// on to the backend, and may track it until it closes.
public enum TCPConnectionMiddleware: Sendable {
    /// `ipAllowList`: only clients whose address is in one of the networks.
    case ipAllowList([IPNetwork])
    /// `inFlightConn`: at most so many simultaneous connections per client address.
    case inFlightConn(InFlightConnections)

    /// Admits the connection from `client`; returns what to call when it closes, or `nil` when
    /// the connection is refused.
    func admit(_ client: IPAddress?) -> (@Sendable () -> Void)? {
        switch self {
        case .ipAllowList(let networks):
            guard let client else { return nil }
            let address = client.unmapped
            for network in networks where network.contains(address) || network.contains(client) {
                return {}
            }
            return nil
        case .inFlightConn(let counter):
            return counter.acquire(client)
        }
    }
}

/// Counts open connections per client address for `inFlightConn`.
public final class InFlightConnections: Sendable {
    /// The most connections one client address may have open.
    public let limit: Int64
    private let open = NIOLockedValueBox<[String: Int64]>([:])

    /// A counter allowing `limit` connections per client address.
    public init(limit: Int64) {
        self.limit = limit
    }

    /// Takes a slot for `client`; returns its release, or `nil` when the client is at its limit.
    func acquire(_ client: IPAddress?) -> (@Sendable () -> Void)? {
        let key = client.map { "\($0.unmapped)" } ?? "-"
        let admitted = open.withLockedValue { open -> Bool in
            let count = open[key, default: 0]
            guard count < limit else { return false }
            open[key] = count + 1
            return true
        }
        guard admitted else { return nil }
        let box = open
        return {
            box.withLockedValue { open in
                let count = open[key, default: 1] - 1
                open[key] = count > 0 ? count : nil
            }
        }
    }

    /// Open connections of `client` now (for tests).
    func count(for client: IPAddress) -> Int64 {
        open.withLockedValue { $0["\(client.unmapped)", default: 0] }
    }
}
