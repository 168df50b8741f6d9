import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import Proxy

/// The HTTP/1 connection discipline: reads flow while a response is pending, a pipelined
/// request waits for the response before it, parser errors are answered in turn, quiescing
/// closes when the exchange is over.
@Suite struct HTTP1ConnectionHandlerTests {
    /// Counts the reads that reach the channel (the handler above it forwarded them).
    private final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = Any
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    /// Records the request parts that reach the application.
    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        var parts: [String] = []
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): parts.append("head \(head.uri)")
            case .body: parts.append("body")
            case .end: parts.append("end")
            }
        }
    }

    private struct Harness {
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        let recorder = Recorder()
        var errors: [any Error] = []

        init(maxHeaderBytes: Int = EntryPointContext.defaultMaxHeaderBytes) throws {
            try channel.pipeline.syncOperations.addHandler(counter)
            try channel.pipeline.syncOperations.addHandler(HTTP1ConnectionHandler(maxHeaderBytes: maxHeaderBytes) { _ in })
            try channel.pipeline.syncOperations.addHandler(recorder)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        }

        func request(_ uri: String) throws {
            try send("GET \(uri) HTTP/1.1\r\nHost: a.test\r\n\r\n")
        }

        func send(_ bytes: String) throws {
            try channel.writeInbound(ByteBuffer(string: bytes))
        }

        func respond(status: HTTPResponseStatus = .ok) throws {
            try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status)))
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        }

        func readsNow() -> Int {
            let before = counter.reads
            channel.read()
            return counter.reads - before
        }

        func outboundStatuses() throws -> [UInt] {
            HTTP1ConnectionHandlerTests.statuses(in: try HTTP1ConnectionHandlerTests.outboundText(channel))
        }
    }

    /// Everything the handler has written, as text (it writes responses as bytes).
    static func outboundText(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += String(buffer: buffer)
        }
        return text
    }

    /// The status codes of the response heads in `text`, in order.
    static func statuses(in text: String) -> [UInt] {
        text.components(separatedBy: "HTTP/1.1 ").dropFirst().compactMap { UInt($0.prefix(3)) }
    }

    @Test("reads keep flowing while a response is pending")
    func readsFlowDuringExchange() throws {
        let h = try Harness()
        try h.request("/a")
        #expect(h.recorder.parts == ["head /a", "end"])
        #expect(h.readsNow() == 1)
        try h.respond()
        #expect(h.readsNow() == 1)
    }

    @Test("a pipelined request waits for the response before it, and holds reads meanwhile")
    func pipelinedRequestWaits() throws {
        let h = try Harness()
        try h.request("/a")
        try h.request("/b")
        #expect(h.recorder.parts == ["head /a", "end"])
        #expect(h.readsNow() == 0)
        try h.respond()
        #expect(h.recorder.parts == ["head /a", "end", "head /b", "end"])
        // The read held back is issued once the held request has gone on.
        #expect(h.counter.reads >= 1)
        try h.respond()
        #expect(h.readsNow() == 1)
        #expect(try h.outboundStatuses() == [200, 200])
    }

    @Test("a response handed to the handler directly ends the exchange as one through the pipeline does")
    func directResponseReleasesPipelinedRequest() throws {
        let channel = EmbeddedChannel()
        let recorder = Recorder()
        let http1 = HTTP1ConnectionHandler { _ in }
        try channel.pipeline.syncOperations.addHandler(http1)
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: a.test\r\n\r\nGET /b HTTP/1.1\r\nHost: a.test\r\n\r\n"))
        #expect(recorder.parts == ["head /a", "end"])
        #expect(http1.writeResponse(.head(HTTPResponseHead(version: .http1_1, status: .ok)), promise: nil))
        #expect(recorder.parts == ["head /a", "end"])
        #expect(http1.writeResponse(.end(nil), promise: nil))
        #expect(http1.flushResponse())
        // The end let the held request in, and the parts reached the channel in order.
        #expect(recorder.parts == ["head /a", "end", "head /b", "end"])
        // Head and end, as bytes: no length, so HTTP/1.1 chunks, and the end is the last chunk.
        #expect(try Self.outboundText(channel) == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n")
        // Once out of the pipeline it writes nothing and says so.
        try channel.pipeline.syncOperations.removeHandler(http1).wait()
        #expect(!http1.writeResponse(.end(nil), promise: nil))
        #expect(!http1.flushResponse())
        _ = try channel.finish()
    }

    @Test("paired with the proxy handler, parts pass directly both ways and pipelining still holds")
    func pairedWithProxyHandler() throws {
        let loop = EmbeddedEventLoop()
        let entryPoint = EntryPointContext(
            name: "web", port: 80, snapshots: SnapshotHolder(), pools: UpstreamPools(group: loop),
            accessLog: nil, logger: Logger(label: "test"), serverName: "test"
        )
        let channel = EmbeddedChannel(loop: loop)
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        let http1 = HTTP1ConnectionHandler { _ in }
        let proxy = HTTPProxyHandler(entryPoint: entryPoint, isTLS: false, isHTTP2: false, client: ClientInfo(nil), timeouts: nil, writer: http1)
        http1.receiver = proxy
        try channel.pipeline.syncOperations.addHandler(http1)
        try channel.pipeline.syncOperations.addHandler(proxy)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        // Two pipelined requests in one read: no routes, so the proxy answers each 404 itself.
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: a.test\r\n\r\nGET /b HTTP/1.1\r\nHost: a.test\r\n\r\n"))
        let text = try Self.outboundText(channel)
        #expect(Self.statuses(in: text) == [404, 404])
        // Each with its length and its whole body.
        let responses = text.components(separatedBy: "HTTP/1.1 ").dropFirst()
        for response in responses {
            let parts = response.components(separatedBy: "\r\n\r\n")
            let length = parts[0].split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
            #expect(length != nil && parts.count == 2 && parts[1].utf8.count == length)
        }
        #expect(channel.isActive)
        // Leaving the pipeline, the proxy handler lets go of the HTTP/1 handler and back.
        try channel.pipeline.syncOperations.removeHandler(proxy).wait()
        #expect(http1.receiver == nil && proxy.writer == nil)
    }

    @Test("a malformed request behind one in progress is answered after its response")
    func parserErrorWaitsForResponse() throws {
        let h = try Harness()
        try h.request("/a")
        try h.send("GET /b HTTP/1.1\r\nBad Name: x\r\n\r\n")
        #expect(h.channel.isActive)
        #expect(h.recorder.parts == ["head /a", "end"])
        try h.respond()
        #expect(try h.outboundStatuses() == [200, 400])
        #expect(!h.channel.isActive)
        #expect(h.recorder.parts == ["head /a", "end"])
    }

    @Test("a malformed body is answered 400 after the response of its request")
    func malformedBodyWaitsForResponse() throws {
        let h = try Harness()
        try h.send("POST /a HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n")
        #expect(h.recorder.parts == ["head /a", "body"])
        #expect(h.channel.isActive)
        try h.respond()
        #expect(try h.outboundStatuses() == [200, 400])
        #expect(!h.channel.isActive)
    }

    @Test("an oversized head is answered 431 and the connection closed, whole or still arriving")
    func headerOverflow() throws {
        let whole = try Harness(maxHeaderBytes: 64)
        try whole.send("GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: \(String(repeating: "a", count: 64))\r\n\r\n")
        #expect(try whole.outboundStatuses() == [431])
        #expect(!whole.channel.isActive)

        let arriving = try Harness(maxHeaderBytes: 64)
        try arriving.send("GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: \(String(repeating: "a", count: 20))")
        #expect(arriving.channel.isActive)
        try arriving.send(String(repeating: "a", count: 40))
        #expect(try arriving.outboundStatuses() == [431])
        #expect(!arriving.channel.isActive)
        #expect(arriving.recorder.parts.isEmpty)
    }

    @Test("a request to switch protocols holds the bytes after it; a refusal lets HTTP go on")
    func refusedUpgradeResumes() throws {
        let h = try Harness()
        try h.send("GET /ws HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET /next HTTP/1.1\r\nHost: a.test\r\n\r\n")
        #expect(h.recorder.parts == ["head /ws", "end"])
        #expect(h.readsNow() == 0)
        try h.respond(status: .badRequest)
        #expect(h.recorder.parts == ["head /ws", "end", "head /next", "end"])
    }

    @Test("leaving the pipeline after an upgrade, it passes on the bytes that followed the request")
    func acceptedUpgradeForwardsBytes() throws {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        let http1 = HTTP1ConnectionHandler { _ in }
        try channel.pipeline.syncOperations.addHandler(http1)
        try channel.writeInbound(ByteBuffer(string: "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\u{81}\u{05}hello"))
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self).map { if case .head = $0 { true } else { false } } == true)
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil)
        try channel.pipeline.syncOperations.removeHandler(http1).wait()
        let rest = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(String(buffer: rest) == "\u{81}\u{05}hello")
    }

    @Test("quiescing closes an idle connection at once, a busy one after its response")
    func quiescing() throws {
        let idle = try Harness()
        #expect(idle.channel.isActive)
        idle.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!idle.channel.isActive)

        let busy = try Harness()
        try busy.request("/a")
        try busy.request("/b")
        busy.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(busy.channel.isActive)
        try busy.respond()
        #expect(!busy.channel.isActive)
        // The pipelined request was never started.
        #expect(busy.recorder.parts == ["head /a", "end"])
    }
}
