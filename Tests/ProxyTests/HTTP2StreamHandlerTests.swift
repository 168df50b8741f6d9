import Logging
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import Testing
@testable import Proxy

/// The HTTP/2 stream handler: request frames become the request the proxy handler sees (as NIO's
/// HTTP/2-to-HTTP/1 codec made them), response parts become frames.
@Suite struct HTTP2StreamHandlerTests {
    func block(_ fields: [(String, String)]) -> HPACKHeaders { HPACKHeaders(fields) }

    let getFields = [(":method", "GET"), (":scheme", "https"), (":authority", "a.test:8443"), (":path", "/x?y=1")]

    @Test("a GET takes :authority as Host and gets no framing header")
    func getHead() throws {
        let head = try HTTP2StreamHandler.requestHead(block(getFields + [("accept", "*/*")]), endStream: true)
        #expect(head.method == .GET && head.uri == "/x?y=1" && head.version == .http2)
        #expect(head.headers.map(\.name) == ["host", "accept"])
        #expect(head.headers["host"] == ["a.test:8443"])
    }

    @Test("a Host header the client sent is kept, :authority is not added")
    func hostKept() throws {
        let head = try HTTP2StreamHandler.requestHead(block(getFields + [("host", "b.test")]), endStream: true)
        #expect(head.headers["host"] == ["b.test"])
    }

    @Test("a POST without Content-Length is framed: length 0 when HEADERS ends the stream, else chunked")
    func postFraming() throws {
        let post = [(":method", "POST"), (":scheme", "https"), (":authority", "a"), (":path", "/")]
        let ended = try HTTP2StreamHandler.requestHead(block(post), endStream: true)
        #expect(ended.headers["content-length"] == ["0"] && !ended.headers.contains(name: "transfer-encoding"))
        let open = try HTTP2StreamHandler.requestHead(block(post), endStream: false)
        #expect(open.headers["transfer-encoding"] == ["chunked"] && !open.headers.contains(name: "content-length"))
        let sized = try HTTP2StreamHandler.requestHead(block(post + [("content-length", "3")]), endStream: false)
        #expect(sized.headers["content-length"] == ["3"] && !sized.headers.contains(name: "transfer-encoding"))
        #expect(try HTTP2StreamHandler.requestHead(block(post), endStream: false).method == .POST)
    }

    @Test("missing, repeated or unsafe pseudo-headers are refused", arguments: [
        [(":method", "GET"), (":scheme", "https"), (":path", "/")],
        [(":method", "GET"), (":authority", "a"), (":path", "/")],
        [(":scheme", "https"), (":authority", "a"), (":path", "/")],
        [(":method", "GET"), (":scheme", "https"), (":authority", "a")],
        [(":method", "GET"), (":scheme", "https"), (":authority", "a"), (":path", "/"), (":path", "/admin")],
        [(":method", "GET"), (":scheme", "https"), (":authority", "a"), (":path", "/ HTTP/1.1\r\nX: y")],
        [(":method", "GET"), (":scheme", "https"), (":authority", "a b"), (":path", "/")],
    ] as [[(String, String)]])
    func refused(fields: [(String, String)]) {
        #expect(throws: HTTP2StreamHandler.MalformedRequestHeaders.self) {
            try HTTP2StreamHandler.requestHead(HPACKHeaders(fields), endStream: true)
        }
    }

    @Test("a response head becomes :status first, lowercase names, without connection-specific fields")
    func responseBlock() {
        let head = HTTPResponseHead(version: .http2, status: .ok, headers: HTTPHeaders([
            ("Content-Type", "text/plain"), ("Connection", "keep-alive, X-Hop"), ("X-Hop", "1"), ("Keep-Alive", "timeout=5"),
            ("Transfer-Encoding", "chunked"), ("Upgrade", "h2c"), ("Proxy-Connection", "x"), ("Set-Cookie", "a=1"),
        ]))
        let fields = HTTP2StreamHandler.responseHeaders(head).map { "\($0.name)=\($0.value)" }
        #expect(fields == [":status=200", "content-type=text/plain", "set-cookie=a=1"])
    }

    /// A stream channel stand-in: the stream handler, holding a proxy handler whose entry point
    /// has no routes (every request is answered 404 by the proxy itself).
    func stream() throws -> EmbeddedChannel {
        let loop = EmbeddedEventLoop()
        let entryPoint = EntryPointContext(
            name: "websecure", port: 443, snapshots: SnapshotHolder(), pools: UpstreamPools(group: loop),
            accessLog: nil, logger: Logger(label: "test"), serverName: "test"
        )
        let channel = EmbeddedChannel(loop: loop)
        let proxy = HTTPProxyHandler(entryPoint: entryPoint, isTLS: true, isHTTP2: true, client: ClientInfo(nil), timeouts: nil)
        try channel.pipeline.syncOperations.addHandler(HTTP2StreamHandler(proxy: proxy))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
        return channel
    }

    @Test("a request in frames gets its response in frames, ended by END_STREAM")
    func roundTrip() throws {
        let channel = try stream()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: block(getFields), endStream: true)))
        guard case .headers(let head) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no HEADERS frame")
            return
        }
        #expect(head.headers.first(name: ":status") == "404")
        #expect(!head.endStream)
        var ended = false
        var body = ""
        while let frame = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) {
            guard case .data(let data) = frame, case .byteBuffer(let buffer) = data.data else {
                Issue.record("unexpected frame \(frame)")
                return
            }
            #expect(!ended)
            body += String(buffer: buffer)
            ended = data.endStream
        }
        #expect(ended)
        #expect(body.contains("404"))
        #expect(channel.isActive)
    }

    @Test("a malformed request head closes the stream")
    func malformedCloses() throws {
        let channel = try stream()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: block([(":method", "GET"), (":path", "/")]), endStream: true)))
        #expect(!channel.isActive)
        #expect(try channel.readOutbound(as: HTTP2Frame.FramePayload.self) == nil)
    }
}
