import Logging
import NIOCore
import NIOPosix

/// Gatehouse's own authoritative DNS server for ACME DNS-01 (`dnsChallenge.provider: builtin`):
/// it answers TXT queries for `_acme-challenge.<domain>` from a ``DNSChallengeRecords`` store,
/// over UDP and TCP on one port.
///
/// The pattern it serves: the domain's zone delegates the challenge label to the gateway,
/// `_acme-challenge.example.com. NS gatehouse.example.net.`, and `gatehouse.example.net` has an
/// address record pointing at the host running Gatehouse.
///
/// Zones: every `_acme-challenge.<domain>` name, every zone in ``Configuration/zones`` (for
/// `_acme-challenge` CNAMEs into a delegated zone), and any other name that has records. In
/// them the answers are authoritative (AA set), with TTL ``Configuration/ttl``:
/// - TXT at a name with values: NOERROR, one TXT record per value (apex and wildcard
///   challenges of one order are two values on one name).
/// - A name that exists but has nothing of the type asked: NOERROR, no answer, the zone's SOA
///   in the authority section (NODATA). The `_acme-challenge` apex always exists, since the
///   parent's NS record says so; it answers NODATA between challenges, never NXDOMAIN, which
///   resolvers following RFC 8020 would take to mean nothing below it exists either. SOA and
///   NS queries at the apex are answered (NS names ``Configuration/nameServer``).
/// - Any other name in a zone: NXDOMAIN with the SOA.
///
/// Names outside every zone get REFUSED without AA, which is how authoritative servers answer
/// for zones they do not serve (RFC 8906 §3.1.5): a resolver then tries another server instead
/// of caching a false NXDOMAIN for someone else's name. Other opcodes get NOTIMP, zone
/// transfers REFUSED, malformed queries FORMERR (or nothing when not even the header is
/// readable), and messages that are responses nothing. UDP answers larger than the client's
/// EDNS payload size (512 without EDNS, at most ``Configuration/udpPayloadSize``) are sent
/// empty with TC set, so the client asks again over TCP.
///
/// Each query is logged at debug level; only start and stop are logged at info.
///
/// Listening on every interface (`:53`) answers from whichever local address the system picks
/// for the reply; on a host with several addresses on one network, listen on the address the
/// NS record's host resolves to, so replies come from the address the resolver asked.
public final class DNSServer: Sendable {
    /// The UDP socket's local address (with the port chosen when asked for port 0).
    public let udpAddress: SocketAddress
    /// The TCP listener's local address; always the same port as UDP.
    public let tcpAddress: SocketAddress

    private let udpChannel: any Channel
    private let tcpChannel: any Channel
    private let connections: ConnectionSet
    private let logger: Logger

    private init(udpChannel: any Channel, tcpChannel: any Channel, connections: ConnectionSet, logger: Logger) throws(DNSServerError) {
        guard let udpAddress = udpChannel.localAddress, let tcpAddress = tcpChannel.localAddress else {
            throw DNSServerError(address: "?", reason: .noLocalAddress)
        }
        self.udpAddress = udpAddress
        self.tcpAddress = tcpAddress
        self.udpChannel = udpChannel
        self.tcpChannel = tcpChannel
        self.connections = connections
        self.logger = logger
    }

    /// The port both sockets listen on.
    public var port: Int { self.udpAddress.port ?? 0 }

    /// Binds UDP and TCP on `address` and starts answering.
    ///
    /// With no host (`:53`) the server listens on every IPv6 and IPv4 address (one dual-stack
    /// socket each for UDP and TCP), or on every IPv4 address when the system has no IPv6.
    /// With port 0 the system picks a port free for both UDP and TCP; read it from ``port``.
    /// - Throws: ``DNSServerError`` naming the address and transport when a socket cannot be
    ///   bound (port in use, no permission for a port below 1024, address not local).
    public static func start(
        address: DNSAddress,
        records: DNSChallengeRecords,
        configuration: Configuration = Configuration(),
        logger: Logger,
        on eventLoopGroup: any EventLoopGroup
    ) async throws(DNSServerError) -> DNSServer {
        let responder = DNSResponder(records: records, configuration: configuration, logger: logger)
        let connections = ConnectionSet(limit: configuration.maximumTCPConnections)
        let hosts = address.host.map { [$0] } ?? ["::", "0.0.0.0"]
        var lastError: DNSServerError? = nil
        for host in hosts {
            do {
                let (udp, tcp) = try await Self.bind(
                    host: host, port: address.port, responder: responder, connections: connections,
                    idleTimeout: configuration.tcpIdleTimeout, group: eventLoopGroup
                )
                let server = try DNSServer(udpChannel: udp, tcpChannel: tcp, connections: connections, logger: logger)
                logger.info(
                    "DNS server listening",
                    metadata: ["udp": "\(server.udpAddress)", "tcp": "\(server.tcpAddress)", "nameServer": "\(configuration.nameServer)"]
                )
                return server
            } catch {
                lastError = error
            }
        }
        throw lastError ?? DNSServerError(address: address.description, reason: .noLocalAddress)
    }

    /// Stops listening and closes every open TCP connection. Safe to call more than once.
    public func shutdown() async {
        self.connections.closeAll()
        try? await self.udpChannel.close()
        try? await self.tcpChannel.close()
        self.connections.closeAll()
        self.logger.info("DNS server stopped", metadata: ["udp": "\(self.udpAddress)"])
    }

    // MARK: - Binding

    private static func bind(
        host: String, port: Int, responder: DNSResponder, connections: ConnectionSet,
        idleTimeout: Duration, group: any EventLoopGroup
    ) async throws(DNSServerError) -> (any Channel, any Channel) {
        // With port 0, the UDP port the system picks may be taken for TCP: try a few ports.
        let attempts = port == 0 ? 8 : 1
        var lastError: DNSServerError? = nil
        for _ in 0..<attempts {
            let udp = try await Self.bindUDP(host: host, port: port, responder: responder, group: group)
            let chosenPort = udp.localAddress?.port ?? port
            do {
                let tcp = try await Self.bindTCP(
                    host: host, port: chosenPort, responder: responder, connections: connections,
                    idleTimeout: idleTimeout, group: group
                )
                return (udp, tcp)
            } catch {
                try? await udp.close()
                lastError = error
            }
        }
        throw lastError ?? DNSServerError(address: "\(host):\(port)", reason: .noLocalAddress)
    }

    private static func bindUDP(host: String, port: Int, responder: DNSResponder, group: any EventLoopGroup) async throws(DNSServerError) -> any Channel {
        do {
            return try await DatagramBootstrap(group: group)
                .channelOption(.maxMessagesPerRead, value: 16)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 4096))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramQueryHandler(responder: responder))
                    }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            throw DNSServerError(address: DNSAddress(host: host, port: port).description, reason: .bindFailed(transport: "UDP", error: error))
        }
    }

    private static func bindTCP(
        host: String, port: Int, responder: DNSResponder, connections: ConnectionSet, idleTimeout: Duration,
        group: any EventLoopGroup
    ) async throws(DNSServerError) -> any Channel {
        let idle = TimeAmount(idleTimeout)
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 128)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        guard connections.insert(channel) else {
                            responder.logger.debug("DNS TCP connection refused: too many open", metadata: ["client": "\(channel.remoteAddress.map { "\($0)" } ?? "?")"])
                            channel.close(promise: nil)
                            return
                        }
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(IdleStateHandler(readTimeout: idle))
                        try sync.addHandler(ByteToMessageHandler(LengthPrefixedFrameDecoder()))
                        try sync.addHandler(StreamQueryHandler(responder: responder))
                    }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            throw DNSServerError(address: DNSAddress(host: host, port: port).description, reason: .bindFailed(transport: "TCP", error: error))
        }
    }
}
