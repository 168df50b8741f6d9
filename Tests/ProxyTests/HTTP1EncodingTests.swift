import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import Proxy

/// Gatehouse's own HTTP/1 serialisation writes, byte for byte, what NIO's encoders write: each
/// message goes through both and the bytes are compared.
@Suite struct HTTP1EncodingTests {
    /// All the bytes `handler` writes for `parts`, written one by one into an embedded channel.
    static func bytes<Part>(through handler: any ChannelHandler, _ parts: [Part]) throws -> String {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        try channel.pipeline.syncOperations.addHandler(handler)
        for part in parts { try channel.writeOutbound(part) }
        return try HTTP1ConnectionHandlerTests.outboundText(channel)
    }

    /// The same response parts through ``HTTP1ConnectionHandler`` and NIO's `HTTPResponseEncoder`.
    static func compareResponse(_ parts: [HTTPServerResponsePart]) throws -> (ours: String, nio: String) {
        (try bytes(through: HTTP1ConnectionHandler { _ in }, parts), try bytes(through: HTTPResponseEncoder(), parts))
    }

    static func body(_ text: String) -> IOData { .byteBuffer(ByteBuffer(string: text)) }

    static let responses: [(String, [HTTPServerResponsePart])] = [
        ("200 with a length", [.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "5", "X-A": "b"])),
                               .body(body("hello")), .end(nil)]),
        ("200 without a length is chunked", [.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["X-A": "b"])),
                                             .body(body("hello")), .body(body("")), .body(body(" world")), .end(nil)]),
        ("chunked with trailers", [.head(HTTPResponseHead(version: .http1_1, status: .created)), .body(body("x")),
                                   .end(["Grpc-Status": "0", "X-T": "é"])]),
        ("both length and chunked: the length wins", [
            .head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Transfer-Encoding": "chunked", "content-length": "1"])),
            .body(body("a")), .end(nil)]),
        ("204 loses its framing headers", [
            .head(HTTPResponseHead(version: .http1_1, status: .noContent, headers: ["Content-Length": "0", "X": "y"])), .end(nil)]),
        ("304", [.head(HTTPResponseHead(version: .http1_1, status: .notModified, headers: ["ETag": "\"1\""])), .end(nil)]),
        ("100 then 200", [.head(HTTPResponseHead(version: .http1_1, status: .continue)),
                          .head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "0"])), .end(nil)]),
        ("101", [.head(HTTPResponseHead(version: .http1_1, status: .switchingProtocols,
                                        headers: ["Upgrade": "websocket", "Connection": "Upgrade"]))]),
        ("HTTP/1.0 without a length is not chunked", [.head(HTTPResponseHead(version: .http1_0, status: .ok)),
                                                      .body(body("raw")), .end(nil)]),
        ("custom status and reason", [.head(HTTPResponseHead(version: .http1_1, status: .custom(code: 599, reasonPhrase: "Odd One"),
                                                             headers: ["Content-Length": "0"])), .end(nil)]),
        ("known code, backend's own reason", [.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: 404, reasonPhrase: "Nope"),
                                                                     headers: ["Content-Length": "0"])), .end(nil)]),
        ("non-ASCII header value and empty value", [.head(HTTPResponseHead(version: .http1_1, status: .ok,
                                                                           headers: ["Content-Length": "0", "X-Name": "Zoë ✓", "X-Empty": ""])),
                                                    .end(nil)]),
    ]

    @Test("responses are written as NIO's HTTPResponseEncoder writes them", arguments: Self.responses.indices)
    func responsesMatchNIO(index: Int) throws {
        let (name, parts) = Self.responses[index]
        let (ours, nio) = try Self.compareResponse(parts)
        #expect(ours == nio, "\(name)")
        #expect(!ours.isEmpty)
    }

    static let requests: [(String, [HTTPClientRequestPart])] = [
        ("GET", [.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/a?b=c", headers: ["Host": "x", "Accept": "*/*"])), .end(nil)]),
        ("POST with a length", [.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["content-length": "3"])),
                                .body(body("abc")), .end(nil)]),
        ("POST without a length is chunked", [.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/up")),
                                              .body(body("abc")), .body(body("defghijklmnopqrstu")), .end(["X-Sum": "1"])]),
        ("GET announcing chunks keeps them", [.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/",
                                                                    headers: ["Transfer-Encoding": "chunked"])),
                                              .body(body("zz")), .end(nil)]),
        ("GET with both: the length wins", [.head(HTTPRequestHead(version: .http1_1, method: .DELETE, uri: "/",
                                                                  headers: ["Transfer-Encoding": "chunked", "Content-Length": "2"])),
                                            .body(body("zz")), .end(nil)]),
        ("TRACE loses its framing", [.head(HTTPRequestHead(version: .http1_1, method: .TRACE, uri: "/", headers: ["Content-Length": "2"])),
                                     .end(nil)]),
        ("extension method, HTTP/1.0", [.head(HTTPRequestHead(version: .http1_0, method: .RAW(value: "PURGE"), uri: "/p")), .end(nil)]),
        ("PUT without length on HTTP/1.0 is not chunked", [.head(HTTPRequestHead(version: .http1_0, method: .PUT, uri: "/")),
                                                           .body(body("x")), .end(nil)]),
    ]

    /// All the bytes a backend connection's handler writes for `parts`, sent one by one.
    static func bytesSent(by handler: UpstreamHandler, _ parts: [HTTPClientRequestPart]) throws -> String {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        try channel.pipeline.syncOperations.addHandler(handler)
        for part in parts { handler.send(part) }
        handler.flush()
        return try HTTP1ConnectionHandlerTests.outboundText(channel)
    }

    @Test("requests are written as NIO's HTTPRequestEncoder writes them", arguments: Self.requests.indices)
    func requestsMatchNIO(index: Int) throws {
        let (name, parts) = Self.requests[index]
        let ours = try Self.bytesSent(by: UpstreamHandler(), parts)
        let nio = try Self.bytes(through: HTTPRequestEncoder(), parts)
        #expect(ours == nio, "\(name)")
        #expect(!ours.isEmpty)
    }

    @Test("a head is written into a buffer sized once, exactly")
    func sizedOnce() {
        var encoder = HTTP1MessageEncoder()
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "1024", "Server": "nginx"])
        let buffer = encoder.head(head, allocator: ByteBufferAllocator())
        #expect(String(buffer: buffer) == "HTTP/1.1 200 OK\r\nContent-Length: 1024\r\nServer: nginx\r\n\r\n")
        #expect(buffer.capacity >= buffer.readableBytes)
        #expect(!encoder.isChunked)
    }

    @Test("the write promise of a chunked body part completes once all its bytes are written")
    func chunkPromise() throws {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        let handler = UpstreamHandler()
        try channel.pipeline.syncOperations.addHandler(handler)
        handler.send(.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/")))
        let promise = channel.eventLoop.makePromise(of: Void.self)
        handler.send(.body(Self.body("abc")), promise: promise)
        handler.flush()
        try promise.futureResult.wait()
        let text = try HTTP1ConnectionHandlerTests.outboundText(channel)
        #expect(text.hasSuffix("3\r\nabc\r\n"))
    }
}
