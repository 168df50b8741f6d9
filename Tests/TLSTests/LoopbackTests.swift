import NIOCore
import NIOPosix
import NIOSSL
import TLS
import Testing

/// Echoes inbound bytes. With autoRead off it asks for each read itself.
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

/// Collects bytes until `expected` many arrived, then fulfils `done`.
private final class Gather: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let expected: Int
    let done: EventLoopPromise<[UInt8]>
    var bytes: [UInt8] = []
    var finished = false

    init(expected: Int, done: EventLoopPromise<[UInt8]>) {
        self.expected = expected
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.bytes += self.unwrapInboundIn(data).readableBytesView
        if self.bytes.count >= self.expected {
            self.finish(.success(self.bytes))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish(.failure(ChannelError.eof))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.finish(.failure(error))
    }

    private func finish(_ result: Result<[UInt8], any Error>) {
        guard !self.finished else { return }
        self.finished = true
        self.done.completeWith(result)
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

    private func roundTrip(
        group: any EventLoopGroup,
        port: Int,
        tls: (context: NIOSSLContext, serverName: String)?,
        message: [UInt8]
    ) async throws -> (echo: [UInt8], peer: NIOSSLCertificate?) {
        let done = group.next().makePromise(of: [UInt8].self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        try sync.addHandler(try NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverName))
                    }
                    try sync.addHandler(Gather(expected: message.count, done: done))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        try await channel.writeAndFlush(ByteBuffer(bytes: message))
        let echo = try await done.futureResult.get()
        let peer: NIOSSLCertificate? = tls == nil ? nil : try await channel.nioSSL_peerCertificate().get()
        try await channel.close()
        return (echo, peer)
    }

    @Test("TLS and plaintext on one port, autoRead on and off")
    func tlsAndPlaintext() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let served = try makeServerCertificate(["loop.example.com"])
        let other = try makeServerCertificate(["other.example.com"], key: .rsa2048)
        let index = CertificateIndex(certificates: [served, other])
        var clientConfiguration = TLSConfiguration.makeClientConfiguration()
        clientConfiguration.certificateVerification = .fullVerification
        clientConfiguration.trustRoots = .certificates([served.chain[0], other.chain[0]])
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
