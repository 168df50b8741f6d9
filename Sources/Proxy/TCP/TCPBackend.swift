import NIOCore

/// One server of a TCP load balancer: `tcp.services.<n>.loadBalancer.servers[]`.
public struct TCPBackend: Sendable, CustomStringConvertible {
    /// The host: an IP address or a name, without brackets.
    public let host: String
    public let port: Int
    /// Connect with TLS (`tls: true`).
    public let isTLS: Bool
    /// Relative weight in the load balancer; 0 takes the server out of rotation.
    public let weight: Int
    public let transport: TCPTransport
    /// The address when `host` is an IP literal, resolved once when the snapshot is built.
    let resolvedAddress: SocketAddress?

    /// A server from its `host:port` address (`[v6]:port` for IPv6).
    public init(address: String, isTLS: Bool = false, weight: Int = 1, transport: TCPTransport = TCPTransport()) throws(TCPAddressError) {
        let (host, port) = try ServerAddress.split(address)
        self.host = host
        self.port = port
        self.isTLS = isTLS
        self.weight = weight
        self.transport = transport
        self.resolvedAddress = try? SocketAddress(ipAddress: host, port: port)
    }

    /// `host:port`, with brackets around IPv6 addresses.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A TCP server address that is not `host:port`.
public struct TCPAddressError: Error, Sendable, CustomStringConvertible {
    /// The address as written.
    public let address: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "server address \"\(address)\": \(reason)" }
}
