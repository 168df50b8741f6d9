import Routing

/// The TCP routers of one entry point: those with a `tls` section answer TLS connections
/// (matched by SNI, ALPN and client address before any HTTPS router), the others answer
/// plaintext connections (matched with an empty SNI: `HostSNI(`*`)`, `ClientIP`).
public struct TCPRoutes: Sendable {
    /// Routers with `tls` (terminating or passthrough).
    public let secure: RouteTable<TCPRouteTarget>
    /// Routers without `tls`.
    public let plain: RouteTable<TCPRouteTarget>

    /// The two tables.
    public init(secure: RouteTable<TCPRouteTarget>, plain: RouteTable<TCPRouteTarget>) {
        self.secure = secure
        self.plain = plain
    }

    /// No TCP routers.
    public static let empty = TCPRoutes(secure: RouteTable([]), plain: RouteTable([]))

    /// Whether there are no TCP routers at all.
    public var isEmpty: Bool { secure.count == 0 && plain.count == 0 }

    /// The router that takes every plaintext connection whatever it sends: the first plaintext
    /// router when it accepts a connection with no SNI and no known client address
    /// (`HostSNI(`*`)`).
    var catchAllPlain: TCPRouteTarget? {
        guard let first = plain.routes.first, first.rule.matches(TCPRoutingInput(serverName: nil)) else { return nil }
        return first.target
    }
}
