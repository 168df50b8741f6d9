import NIOCore
import NIOPosix
import NIOSSL
import TLS
import Testing

/// Echoes inbound bytes. It flushes only in `channelReadComplete`, so an echo arriving at all
/// shows that readComplete reached the application; with autoRead off it asks for each read
/// itself.
private final class Echo: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let manualRead: Bool

    init(manualRead: Bool) {
        self.manualRead = manualRead
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if self.manualRead { context.read() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        if self.manualRead { context.read() }
    }
}

private struct GatherTimedOut: Error, CustomStringConvertible {
    let received: Int
    let expected: Int
    var description: String { "no echo within the deadline: \(self.received) of \(self.expected) bytes" }
}

/// Collects bytes; fulfils each milestone's promise with the bytes so far once that many
/// arrived. Fails the outstanding milestones on an error, on inactive, or after `timeout`.
private final class Gather: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let milestones: [(count: Int, promise: EventLoopPromise<[UInt8]>)]
    let timeout: TimeAmount
    var bytes: [UInt8] = []
    var reached = 0
    var deadline: Scheduled<Void>? = nil

    init(milestones: [(count: Int, promise: EventLoopPromise<[UInt8]>)], timeout: TimeAmount = .seconds(10)) {
        self.milestones = milestones
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.deadline = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            self.fail(GatherTimedOut(received: self.bytes.count, expected: self.milestones.last?.count ?? 0))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.bytes += self.unwrapInboundIn(data).readableBytesView
        while self.reached < self.milestones.count, self.bytes.count >= self.milestones[self.reached].count {
            let milestone = self.milestones[self.reached]
            self.reached += 1
            milestone.promise.succeed(Array(self.bytes.prefix(milestone.count)))
        }
        if self.reached == self.milestones.count {
            self.deadline?.cancel()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(error)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.fail(ChannelError.ioOnClosedChannel)
    }

    private func fail(_ error: any Error) {
        self.deadline?.cancel()
        while self.reached < self.milestones.count {
            let milestone = self.milestones[self.reached]
            self.reached += 1
            milestone.promise.fail(error)
        }
    }
}

/// Real sockets on 127.0.0.1: the sniffer in front of NIOSSL (TLS) or directly in front of the
/// application (plaintext), on one listening port, as an entry point uses it.
@Suite("ProtocolSniffer on loopback sockets")
struct LoopbackTests {
    private func startServer(group: any EventLoopGroup, index: CertificateIndex, autoRead: Bool) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: autoRead)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sniffer = ProtocolSniffer(timeout: .seconds(10)) { result, channel in
                        channel.eventLoop.makeCompletedFuture {
                            let sync = channel.pipeline.syncOperations
                            if case .tls(let hello) = result {
                                try sync.addHandler(NIOSSLServerHandler(context: index.sslContext(forServerName: hello.serverName)))
                            }
                            try sync.addHandler(Echo(manualRead: !autoRead))
                        }
                    }
                    try channel.pipeline.syncOperations.addHandler(sniffer)
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    /// Connects, sends `message` in two parts, the second only once the first came back (so
    /// the second is read by the pipeline the sniffer left behind, not replayed by it), and
    /// returns the whole echo and, for TLS, the server's certificate.
    private func roundTrip(
        group: any EventLoopGroup,
        port: Int,
        tls: (context: NIOSSLContext, serverName: String)?,
        message: [UInt8]
    ) async throws -> (echo: [UInt8], peer: NIOSSLCertificate?) {
        let cut = message.count / 2
        let loop = group.next()
        let firstHalf = loop.makePromise(of: [UInt8].self)
        let whole = loop.makePromise(of: [UInt8].self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        try sync.addHandler(try NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverName))
                    }
                    try sync.addHandler(Gather(milestones: [(cut, firstHalf), (message.count, whole)]))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: message[..<cut]))
            _ = try await firstHalf.futureResult.get()
            try await channel.writeAndFlush(ByteBuffer(bytes: message[cut...]))
        } catch {
            // A failed TLS handshake closes the channel, so the write fails with "I/O on closed
            // channel"; the handshake error itself went to `Gather`, and is the one worth seeing.
            _ = try await whole.futureResult.get()
            throw error
        }
        let echo = try await whole.futureResult.get()
        let peer: NIOSSLCertificate? = tls == nil ? nil : try await channel.nioSSL_peerCertificate().get()
        try await channel.close()
        return (echo, peer)
    }

    @Test("TLS and plaintext on one port, autoRead on and off")
    func tlsAndPlaintext() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // The client verifies fully, so it trusts the CA that issued both certificates (a
        // self-signed leaf is no trust anchor); the peer check below tells which one was served.
        let ca = try TestCA()
        let served = try makeServerCertificate(["loop.example.com"], issuer: ca)
        let other = try makeServerCertificate(["other.example.com"], key: .rsa2048, issuer: ca)
        let index = CertificateIndex(certificates: [served, other])
        var clientConfiguration = TLSConfiguration.makeClientConfiguration()
        clientConfiguration.certificateVerification = .fullVerification
        clientConfiguration.trustRoots = .certificates([ca.trustRoot])
        let clientContext = try NIOSSLContext(configuration: clientConfiguration)

        for autoRead in [true, false] {
            let server = try await startServer(group: group, index: index, autoRead: autoRead)
            let port = server.localAddress!.port!
            let message = Array("GET / HTTP/1.1\r\nHost: loop.example.com\r\n\r\n".utf8)

            let plain = try await roundTrip(group: group, port: port, tls: nil, message: message)
            #expect(plain.echo == message, "plaintext, autoRead \(autoRead)")

            for (name, certificate) in [("loop.example.com", served), ("other.example.com", other)] {
                let secure = try await roundTrip(group: group, port: port, tls: (clientContext, name), message: message)
                #expect(secure.echo == message, "TLS \(name), autoRead \(autoRead)")
                #expect(secure.peer == certificate.chain[0])
            }
            try await server.close()
        }
        try await group.shutdownGracefully()
    }
}
