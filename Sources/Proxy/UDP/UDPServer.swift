import NIOCore

/// One backend of a UDP service: `udp.services.<name>.loadBalancer.servers[]`.
public struct UDPServer: Sendable, Hashable, CustomStringConvertible {
    /// The address as configured, `host:port` (IPv6 hosts bracketed); used in logs.
    public let address: String
    /// Host without brackets: a name, an IPv4 or an IPv6 address.
    public let host: String
    public let port: Int
    /// Relative weight for weighted round robin (Traefik's `weight`, default 1).
    public let weight: Int
    /// The address when `host` is an IP literal, so no resolver runs per session; `nil` for names,
    /// which are resolved off the event loop when a session opens.
    public let resolvedAddress: SocketAddress?

    /// Parses `host:port` (`10.0.0.5:53`, `[::1]:53`, `dns.internal:53`).
    /// - Returns: `nil` when `address` has no host, no port, or a port outside 1…65535.
    public init?(address: String, weight: Int = 1) {
        guard let (host, port) = try? ServerAddress.split(address) else { return nil }
        self.address = address
        self.host = host
        self.port = port
        self.weight = weight
        self.resolvedAddress = try? SocketAddress(ipAddress: host, port: port)
    }

    public var description: String { address }
}
