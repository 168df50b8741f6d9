import NIOCore
import NIOEmbedded
import TLS
import Testing

/// Records every inbound read and event that reaches it.
private final class Collector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    var reads: [ByteBuffer] = []
    var readCompletes = 0
    var events: [String] = []
    var inactive = false

    var bytes: [UInt8] { self.reads.flatMap { $0.bytes } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.reads.append(self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.readCompletes += 1
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        self.events.append("\(event)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.inactive = true
    }
}

/// A sniffer on an active embedded channel whose configure step adds a `Collector`.
private final class Harness {
    let channel = EmbeddedChannel()
    let collector = Collector()
    var results: [SniffResult] = []
    /// When set, the configure step returns this promise's future instead of succeeding at once.
    var pending: EventLoopPromise<Void>? = nil
    var failWith: (any Error)? = nil

    init(timeout: TimeAmount? = nil, parser: ClientHelloParser = ClientHelloParser(), deferConfiguration: Bool = false) throws {
        if deferConfiguration {
            self.pending = self.channel.eventLoop.makePromise()
        }
        let sniffer = ProtocolSniffer(timeout: timeout, parser: parser) { [unowned self] result, channel in
            self.results.append(result)
            if let error = self.failWith {
                return channel.eventLoop.makeFailedFuture(error)
            }
            do {
                try channel.pipeline.syncOperations.addHandler(self.collector)
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
            return self.pending?.futureResult ?? channel.eventLoop.makeSucceededVoidFuture()
        }
        try channel.pipeline.syncOperations.addHandler(sniffer, name: "sniffer")
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func write(_ bytes: some Sequence<UInt8>) throws {
        try self.channel.writeInbound(ByteBuffer(bytes: Array(bytes)))
    }

    var snifferIsInPipeline: Bool {
        (try? self.channel.pipeline.syncOperations.context(name: "sniffer")) != nil
    }
}

private struct ConfigurationFailed: Error {}

@Suite("ProtocolSniffer")
struct ProtocolSnifferTests {
    @Test("plaintext: decided at the first byte; every byte forwarded once, in order")
    func plaintext() throws {
        let harness = try Harness()
        let request = Array("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".utf8)
        try harness.write(request[..<1])
        #expect(harness.results == [.plaintext])
        #expect(!harness.snifferIsInPipeline)
        try harness.write(request[1..<10])
        try harness.write(request[10...])
        #expect(harness.collector.bytes == request)
        #expect(harness.collector.reads.count == 3)
        // Decided and replayed inside the first read: that read's own readComplete is the only one.
        #expect(harness.collector.readCompletes == 3)
        #expect(harness.channel.isActive)
        _ = try harness.channel.finish()
    }

    @Test("TLS: waits for the whole ClientHello, reports SNI and ALPN, forwards the bytes")
    func tls() throws {
        let harness = try Harness()
        let hello = try nioSSLClientHello(serverHostname: "Example.com", alpn: ["h2", "http/1.1"]).bytes
        let cuts = [1, 7, hello.count / 2]
        var start = 0
        for cut in cuts {
            try harness.write(hello[start..<cut])
            #expect(harness.results.isEmpty)
            #expect(harness.collector.reads.isEmpty)
            start = cut
        }
        try harness.write(hello[start...])
        #expect(harness.results == [.tls(ClientHello(serverName: "example.com", alpnProtocols: ["h2", "http/1.1"]))])
        #expect(harness.collector.bytes == hello)
        #expect(harness.collector.reads.count == 1)
        #expect(harness.collector.readCompletes == 1)
        #expect(!harness.snifferIsInPipeline)
        try harness.write([1, 2, 3])
        #expect(harness.collector.bytes == hello + [1, 2, 3])
        _ = try harness.channel.finish()
    }

    @Test("bytes arriving while configuration is pending are forwarded after, in order")
    func pendingConfiguration() throws {
        let harness = try Harness(deferConfiguration: true)
        let hello = try nioSSLClientHello(serverHostname: "pending.example.com").bytes
        try harness.write(hello)
        #expect(harness.results.count == 1)
        try harness.write([0xA1, 0xA2])
        try harness.write([0xB1])
        #expect(harness.collector.reads.isEmpty)
        #expect(harness.snifferIsInPipeline)
        #expect(harness.collector.readCompletes == 0)
        harness.pending!.succeed()
        #expect(harness.collector.bytes == hello + [0xA1, 0xA2, 0xB1])
        // Replayed outside a read: the sniffer supplies the one readComplete.
        #expect(harness.collector.readCompletes == 1)
        #expect(!harness.snifferIsInPipeline)
        try harness.write([0xC1])
        #expect(harness.collector.bytes == hello + [0xA1, 0xA2, 0xB1, 0xC1])
        #expect(harness.collector.readCompletes == 2)
        _ = try harness.channel.finish()
    }

    @Test("a failed configuration closes the channel")
    func configurationFails() throws {
        let harness = try Harness()
        harness.failWith = ConfigurationFailed()
        try harness.write(Array("GET /".utf8))
        #expect(harness.results == [.plaintext])
        #expect(!harness.channel.isActive)
        #expect(harness.collector.reads.isEmpty)
    }

    @Test("a malformed ClientHello closes the channel without configuring")
    func malformed() throws {
        let harness = try Harness()
        try harness.write([22, 3, 1, 0, 4, 2, 0, 0, 0])
        #expect(harness.results.isEmpty)
        #expect(!harness.channel.isActive)
    }

    @Test("an oversized ClientHello closes the channel")
    func oversized() throws {
        let harness = try Harness(parser: ClientHelloParser(maximumLength: 512))
        let message = ClientHelloBuilder(extensions: [(21, [UInt8](repeating: 0, count: 1000))]).handshakeMessage()
        try harness.write(fragment(message, at: [])[..<100])
        #expect(harness.results.isEmpty)
        #expect(!harness.channel.isActive)
    }

    @Test("no decision before the deadline closes the channel")
    func deadline() throws {
        let harness = try Harness(timeout: .seconds(5))
        try harness.write([22, 3, 1])
        harness.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(harness.channel.isActive)
        harness.channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!harness.channel.isActive)
        #expect(harness.results.isEmpty)
    }

    @Test("the deadline stops counting once a decision is made")
    func deadlineCancelled() throws {
        let harness = try Harness(timeout: .seconds(5))
        try harness.write(Array("GET".utf8))
        harness.channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(harness.channel.isActive)
        _ = try harness.channel.finish()
    }

    @Test("the deadline starts when the sniffer is added to an already active channel")
    func deadlineOnActiveChannel() throws {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.pipeline.syncOperations.addHandler(
            ProtocolSniffer(timeout: .seconds(1)) { _, channel in channel.eventLoop.makeSucceededVoidFuture() }
        )
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test("the channel going inactive while configuration is pending drops the bytes")
    func inactiveWhilePending() throws {
        let harness = try Harness(deferConfiguration: true)
        try harness.write(Array("GET / HTTP/1.1\r\n".utf8))
        #expect(harness.results == [.plaintext])
        _ = try harness.channel.finish()
        #expect(harness.collector.inactive)
        harness.pending!.succeed()
        #expect(harness.collector.reads.isEmpty)
    }

    @Test("input closed while configuration is pending is delivered after the bytes")
    func inputClosedWhilePending() throws {
        let harness = try Harness(deferConfiguration: true)
        try harness.write(Array("GET".utf8))
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(harness.collector.events.isEmpty)
        harness.pending!.succeed()
        #expect(harness.collector.bytes == Array("GET".utf8))
        #expect(harness.collector.events == ["\(ChannelEvent.inputClosed)"])
        _ = try harness.channel.finish()
    }

    @Test("input closed before a decision closes the channel")
    func inputClosedWhileSniffing() throws {
        let harness = try Harness()
        try harness.write([22, 3])
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!harness.channel.isActive)
        #expect(harness.results.isEmpty)
    }

    @Test("other events pass through while sniffing")
    func otherEvents() throws {
        let harness = try Harness()
        let observer = Collector()
        try harness.channel.pipeline.syncOperations.addHandler(observer)
        harness.channel.pipeline.fireUserInboundEventTriggered("custom")
        #expect(observer.events == ["custom"])
        _ = try harness.channel.finish()
    }
}
