import Logging
import Middlewares
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import NIOTLS
import Routing
import TLS

/// One listening entry point: accepts TCP connections, tells TLS from plaintext by the first
/// bytes (as Traefik does, both on one port), offers the connection to the TCP routers first
/// (TLS by SNI/ALPN/client address: passthrough or terminated; plaintext by client address),
/// else terminates TLS with the certificate chosen by SNI, negotiates h2 or http/1.1 by ALPN,
/// and hands requests to `HTTPProxyHandler`.
public final class EntryPointServer: Sendable {
    public let context: EntryPointContext
    private let certificates: CertificateStore
    private let group: any EventLoopGroup
    private let quiesce: ServerQuiescingHelper
    private let tlsChallenges: (any TLSChallengeResponder)?

    /// - Parameters:
    ///   - certificates: the hot-swappable certificate index used for TLS connections.
    ///   - quiesce: shared by all entry points, for graceful shutdown.
    ///   - tlsChallenges: answers ACME TLS-ALPN-01 challenges, when a resolver uses them.
    public init(
        context: EntryPointContext, certificates: CertificateStore, group: any EventLoopGroup, quiesce: ServerQuiescingHelper,
        tlsChallenges: (any TLSChallengeResponder)? = nil
    ) {
        self.context = context
        self.certificates = certificates
        self.group = group
        self.quiesce = quiesce
        self.tlsChallenges = tlsChallenges
    }

    /// Binds the listener. Connections are spread over the group's event loops.
    public func bind(host: String, port: Int) async throws -> any Channel {
        let quiesce = self.quiesce
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.configureConnection(channel)
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    private func configureConnection(_ channel: any Channel) throws {
        let reclaimer = MemoryReclaimer.shared
        reclaimer.connectionOpened()
        channel.closeFuture.whenComplete { _ in reclaimer.connectionClosed() }
        if let metrics = context.metrics {
            let name = context.name
            metrics.connectionOpened(entryPoint: name)
            channel.closeFuture.whenComplete { _ in metrics.connectionClosed(entryPoint: name) }
        }
        let client = ClientInfo(channel.remoteAddress)
        // The snapshot is read once: the connection keeps these routes whatever reloads follow.
        let routes = context.snapshots.current.entryPoints[context.name] ?? .empty
        let forwarder = TCPForwarder(entryPoint: context.name, logger: context.logger)
        if let target = routes.forwardAtOnce {
            // Server-speaks-first protocols: dial as soon as the connection is up, without
            // waiting for the client.
            try channel.pipeline.syncOperations.addHandler(ForwardOnActive { channel in
                forwarder.forward(channel, target: target, clientInfo: client).whenFailure { _ in
                    channel.close(promise: nil)
                }
            })
            return
        }
        let timeoutHandler = ConnectionTimeoutHandler(timeouts: context.timeouts)
        let timeouts = NIOLoopBound(timeoutHandler, eventLoop: channel.eventLoop)
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(timeoutHandler)
        let sniffer = ProtocolSniffer(timeout: context.timeouts.readTimeout) { [self] result, channel in
            switch result {
            case .plaintext:
                if let match = routes.tcp.plain.match(TCPRoutingInput(serverName: nil, clientIP: client.ip)) {
                    timeouts.value.exempt()
                    return forwarder.forward(channel, target: match.target, clientInfo: client)
                }
                return channel.eventLoop.makeCompletedFuture {
                    try self.addHTTP1(to: channel.pipeline.syncOperations, channel: channel, isTLS: false, client: client, timeouts: timeouts.value)
                }
            case .tls(let hello):
                if let challenge = self.challengeContext(for: hello) {
                    return channel.eventLoop.makeCompletedFuture {
                        try self.addChallengeTLS(to: channel, context: challenge, serverName: hello.serverName ?? "", client: client)
                    }
                }
                let input = TCPRoutingInput(serverName: hello.serverName, alpnProtocols: hello.alpnProtocols, clientIP: client.ip)
                if let match = routes.tcp.secure.match(input) {
                    timeouts.value.exempt()
                    if match.target.tls != .passthrough {
                        do {
                            try self.addTLSTermination(to: channel, serverName: hello.serverName)
                        } catch {
                            return channel.eventLoop.makeFailedFuture(error)
                        }
                    }
                    return forwarder.forward(channel, target: match.target, clientInfo: client)
                }
                return channel.eventLoop.makeCompletedFuture {
                    try self.addTLS(to: channel, serverName: hello.serverName, client: client, timeouts: timeouts)
                }
            }
        }
        try sync.addHandler(sniffer)
    }

    /// Terminates TLS for a TCP router with the certificate for the SNI; what follows the
    /// handler is plaintext.
    private func addTLSTermination(to channel: any Channel, serverName: String?) throws {
        guard let tlsHandler = certificates.current.serverHandler(forServerName: serverName, entryPoint: context.name) else {
            throw TLSRefusedByOptions(serverName: serverName ?? "")
        }
        try channel.pipeline.syncOperations.addHandler(tlsHandler)
        if let metrics = context.metrics {
            try channel.pipeline.syncOperations.addHandler(TLSHandshakeObserver(metrics: metrics, entryPoint: context.name))
        }
    }

    /// The TLS-ALPN-01 context when the client offers `acme-tls/1` for a name with a pending
    /// challenge.
    private func challengeContext(for hello: ClientHello) -> NIOSSLContext? {
        guard let responder = tlsChallenges, let name = hello.serverName,
              hello.alpnProtocols.contains(TLSServerSettings.acmeTLSProtocol) else { return nil }
        return responder.challengeContext(forServerName: ServerName.normalize(name))
    }

    /// Completes the handshake with the challenge certificate, then closes: the CA only needs
    /// the handshake (RFC 8737 §3).
    private func addChallengeTLS(to channel: any Channel, context sslContext: NIOSSLContext, serverName: String, client: ClientInfo) throws {
        context.logger.info("answering ACME TLS-ALPN-01 challenge", metadata: ["serverName": "\(serverName)", "client": "\(client.host)"])
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(NIOSSLServerHandler(context: sslContext))
        try sync.addHandler(CloseAfterHandshakeHandler())
    }

    private func addTLS(to channel: any Channel, serverName: String?, client: ClientInfo, timeouts: NIOLoopBound<ConnectionTimeoutHandler>) throws {
        guard let tlsHandler = certificates.current.serverHandler(forServerName: serverName, entryPoint: context.name) else {
            // sniStrict without a matching certificate, or TLS options that cannot be used.
            context.logger.debug("TLS connection refused by the TLS options", metadata: ["serverName": "\(serverName ?? "")", "client": "\(client.host)"])
            channel.close(promise: nil)
            return
        }
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(tlsHandler)
        if let metrics = context.metrics {
            try sync.addHandler(TLSHandshakeObserver(metrics: metrics, entryPoint: context.name))
        }
        let alpn = ApplicationProtocolNegotiationHandler { [self] result, channel in
            channel.eventLoop.makeCompletedFuture {
                // The handshake is done: a client certificate, if any, is known from here on.
                var client = client
                if let peer = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate {
                    client.certificate = (try? ClientCertificateInfo(chain: [peer])).map { PeerCertificate($0) }
                }
                if case .negotiated("h2") = result {
                    try self.addHTTP2(to: channel, client: client, timeouts: timeouts)
                } else {
                    try self.addHTTP1(to: channel.pipeline.syncOperations, channel: channel, isTLS: true, client: client, timeouts: timeouts.value)
                }
            }
        }
        try sync.addHandler(alpn)
    }

    private func addHTTP1(
        to sync: ChannelPipeline.SynchronousOperations, channel: any Channel, isTLS: Bool, client: ClientInfo,
        timeouts: ConnectionTimeoutHandler
    ) throws {
        // The connection handler parses the requests and writes the responses as bytes itself;
        // parser errors are logged by the proxy handler (its receiver).
        let http1 = HTTP1ConnectionHandler(maxHeaderBytes: context.maxHeaderBytes)
        let proxy = HTTPProxyHandler(entryPoint: context, isTLS: isTLS, isHTTP2: false, client: client, timeouts: timeouts, writer: http1)
        // Adjacent in the pipeline, they hand request and response parts to each other directly.
        http1.receiver = proxy
        try sync.addHandler(http1)
        try sync.addHandler(proxy)
    }

    private func addHTTP2(to channel: any Channel, client: ClientInfo, timeouts: NIOLoopBound<ConnectionTimeoutHandler>) throws {
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: context.maxConcurrentStreams),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16),
            HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
        ]
        let entryPoint = context
        try channel.pipeline.syncOperations.addHandler(FlushCoalescer())
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server,
            connectionConfiguration: connection,
            streamConfiguration: .init()
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                // One handler per stream: it converts frames for the proxy handler it holds.
                let proxy = HTTPProxyHandler(entryPoint: entryPoint, isTLS: true, isHTTP2: true, client: client, timeouts: timeouts.value)
                try stream.pipeline.syncOperations.addHandler(HTTP2StreamHandler(proxy: proxy))
            }
        }
    }
}

/// The TLS options in force for a server name refuse the connection (sniStrict without a
/// matching certificate, or options that cannot be used).
struct TLSRefusedByOptions: Error, CustomStringConvertible {
    let serverName: String
    var description: String { "TLS connection for \"\(serverName)\" refused by the TLS options" }
}
