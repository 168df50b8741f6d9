import NIOCore
import NIOSSL

/// How Gatehouse connects to TCP backends (`tcp.serversTransports.<name>`): dial timeout,
/// PROXY protocol, TLS towards servers marked `tls: true`, and how long a half-closed connection
/// stays open.
public struct TCPTransport: Sendable {
    /// The transport's name, for logs.
    public let name: String
    /// How long a connection attempt may take. Default 30 s.
    public let dialTimeout: TimeAmount
    /// After one side closes its half, how long the other direction may still run before both
    /// are closed. Default 100 ms.
    public let terminationDelay: TimeAmount
    /// PROXY protocol header written before any client byte; `nil` writes none.
    public let proxyProtocol: ProxyProtocolVersion?
    /// The client TLS context for servers with `tls: true`; `nil` when it could not be built.
    public let tlsContext: NIOSSLContext?
    /// SNI sent to TLS servers; `nil` sends the server's host when it is a name.
    public let serverName: String?

    /// A transport; every argument has Traefik's default.
    public init(
        name: String = "default",
        dialTimeout: TimeAmount = .seconds(30),
        terminationDelay: TimeAmount = .milliseconds(100),
        proxyProtocol: ProxyProtocolVersion? = nil,
        tlsContext: NIOSSLContext? = nil,
        serverName: String? = nil
    ) {
        self.name = name
        self.dialTimeout = dialTimeout
        self.terminationDelay = terminationDelay
        self.proxyProtocol = proxyProtocol
        self.tlsContext = tlsContext
        self.serverName = serverName
    }

    /// The same transport with another PROXY protocol setting (a service's own
    /// `loadBalancer.proxyProtocol` wins over the transport's).
    public func with(proxyProtocol: ProxyProtocolVersion?) -> TCPTransport {
        TCPTransport(name: name, dialTimeout: dialTimeout, terminationDelay: terminationDelay, proxyProtocol: proxyProtocol,
                     tlsContext: tlsContext, serverName: serverName)
    }

    /// The same transport with another termination delay (a service's own `terminationDelay`).
    public func with(terminationDelay: TimeAmount) -> TCPTransport {
        TCPTransport(name: name, dialTimeout: dialTimeout, terminationDelay: terminationDelay, proxyProtocol: proxyProtocol,
                     tlsContext: tlsContext, serverName: serverName)
    }
}
