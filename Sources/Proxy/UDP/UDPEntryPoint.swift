import Logging
import NIOCore
import NIOPosix

/// One UDP entry point (`address: ":5353/udp"`): a datagram socket whose clients get sessions
/// with the servers of the entry point's UDP router, as Traefik does it.
///
/// A datagram from a client with no session reads the current snapshot's ``UDPRoute`` for this
/// entry point, picks a server (weighted round robin), and opens a socket connected to it, whose
/// own source port stands for the client. Later datagrams from that client address go to the
/// same server until the session has seen no datagram, either way, for
/// ``Settings/idleTimeout``. A reload changes only what new sessions use; sessions in progress
/// keep their server. Datagram boundaries are kept; datagrams up to 65,507 bytes pass.
public final class UDPEntryPoint: Sendable {
    /// How sessions behave.
    public struct Settings: Sendable {
        /// How long a session lives without a datagram either way. Default 3 s (Traefik's
        /// `entryPoints.<name>.udp.timeout`).
        public var idleTimeout: TimeAmount
        /// The most sessions open at once; datagrams from further new clients are dropped (and
        /// logged). Each session holds a socket. Default 4096.
        public var maxSessions: Int
        /// Datagrams held per session while its socket opens (or its server's name resolves);
        /// more are dropped. Default 64.
        public var maxPendingDatagrams: Int
        /// The same warning (an unreachable server, the session limit) is logged at most once per
        /// this interval; repeats go to debug level. Default 10 s.
        public var warningInterval: TimeAmount

        /// - Parameters: see the properties; each defaults as documented there.
        public init(idleTimeout: TimeAmount = .seconds(3), maxSessions: Int = 4096, maxPendingDatagrams: Int = 64,
                    warningInterval: TimeAmount = .seconds(10)) {
            self.idleTimeout = idleTimeout
            self.maxSessions = maxSessions
            self.maxPendingDatagrams = maxPendingDatagrams
            self.warningInterval = warningInterval
        }

        /// How often idle sessions are looked for: a quarter of the timeout (10 ms at least), so
        /// a session ends between 1 and 1.25 timeouts after its last datagram.
        var sweepInterval: TimeAmount {
            max(.milliseconds(10), .nanoseconds(idleTimeout.nanoseconds / 4))
        }
    }

    /// The entry point's name, as in the static configuration.
    public let name: String
    /// The bound address (with the port the system chose when asked for port 0).
    public let localAddress: SocketAddress
    private let channel: any Channel

    private init(name: String, channel: any Channel, localAddress: SocketAddress) {
        self.name = name
        self.channel = channel
        self.localAddress = localAddress
    }

    /// Binds the entry point's socket on `host:port` and starts serving the routes of
    /// `snapshots` for `name`.
    /// - Throws: ``UDPEntryPointError`` naming the entry point and address when the socket cannot
    ///   be bound (port in use, no permission, address not local).
    public static func bind(
        name: String, host: String, port: Int, settings: Settings = Settings(), snapshots: SnapshotHolder,
        logger: Logger, group: any EventLoopGroup
    ) async throws(UDPEntryPointError) -> UDPEntryPoint {
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.maxMessagesPerRead, value: 16)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: UDPListenerHandler.receiveBufferSize))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = UDPListenerHandler(entryPoint: name, snapshots: snapshots, settings: settings, logger: logger)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            throw UDPEntryPointError(entryPoint: name, address: "\(host):\(port)", reason: .bindFailed(error))
        }
        guard let localAddress = channel.localAddress else {
            try? await channel.close()
            throw UDPEntryPointError(entryPoint: name, address: "\(host):\(port)", reason: .noLocalAddress)
        }
        return UDPEntryPoint(name: name, channel: channel, localAddress: localAddress)
    }

    /// Closes the socket and every session's socket. Safe to call more than once.
    public func close() async {
        try? await channel.close()
    }
}
