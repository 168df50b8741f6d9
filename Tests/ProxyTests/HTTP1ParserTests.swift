import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import Proxy

/// ``HTTP1Parser`` takes the place of NIO's llhttp-based decoders: for valid messages it must
/// yield the parts they yield, however the bytes are split, and it must reject malformed or
/// ambiguous framing. Valid messages go through both and the normalised parts are compared.
@Suite struct HTTP1ParserTests {
    // MARK: Normalised parts

    /// A message part in a form that compares: a head as its start line and fields, the body
    /// bytes between a head and its end as one, and the end with its trailer fields.
    enum Event: Equatable, CustomStringConvertible {
        /// `METHOD uri HTTP/1.x` or `HTTP/1.x code`, then one `\nname: value` per field, in order.
        case head(String)
        case body([UInt8])
        /// The trailer fields, as in a head; `nil` when there are none.
        case end(String?)

        static func body(_ text: String) -> Event { .body(Array(text.utf8)) }

        var description: String {
            switch self {
            case .head(let head): "head \(head.debugDescription)"
            case .body(let bytes): "body \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            case .end(let trailers): "end \(trailers?.debugDescription ?? "nil")"
            }
        }
    }

    static func fields(_ headers: HTTPHeaders) -> String {
        headers.map { "\n\($0.name): \($0.value)" }.joined()
    }

    static func version(_ version: HTTPVersion) -> String { "HTTP/\(version.major).\(version.minor)" }

    static func events(_ parts: [HTTP1Parser.Part]) -> [Event] {
        var events: [Event] = []
        for part in parts {
            switch part {
            case .requestHead(let head):
                events.append(.head("\(head.method.rawValue) \(head.uri) \(version(head.version))" + fields(head.headers)))
            case .responseHead(let head):
                events.append(.head("\(version(head.version)) \(head.status.code)" + fields(head.headers)))
            case .body(let buffer):
                if case .body(let before) = events.last {
                    events[events.count - 1] = .body(before + buffer.readableBytesView)
                } else {
                    events.append(.body(Array(buffer.readableBytesView)))
                }
            case .end(let trailers):
                events.append(.end(trailers.map(fields)))
            }
        }
        return events
    }

    // MARK: Feeding

    /// How the bytes of a message reach the parser.
    enum Feeding: CaseIterable, Sendable {
        case whole
        case byteByByte
        /// In two buffers, split at each position in turn.
        case inTwoEverywhere

        /// Each way of feeding `bytes`: a list of buffers.
        func splits(of bytes: [UInt8]) -> [[[UInt8]]] {
            switch self {
            case .whole: [[bytes]]
            case .byteByByte: [bytes.map { [$0] }]
            case .inTwoEverywhere: (1..<bytes.count).map { [Array(bytes[..<$0]), Array(bytes[$0...])] }
            }
        }
    }

    /// Feeds `chunks` one by one, taking every part after each, then signals the end of input.
    /// `answering`: for responses, the request method each one answers, in order (HEAD has no body).
    static func parse(
        _ kind: HTTP1Parser.Kind, _ chunks: [[UInt8]], answering: [HTTPMethod] = [], maxHeadBytes: Int = 1 << 20
    ) throws(HTTP1ParseError) -> (parts: [HTTP1Parser.Part], parser: HTTP1Parser) {
        var parser = HTTP1Parser(kind: kind, maxHeadBytes: maxHeadBytes)
        var parts: [HTTP1Parser.Part] = []
        for chunk in chunks {
            parser.append(ByteBuffer(bytes: chunk))
            while true {
                let ends = parts.count(where: { if case .end = $0 { true } else { false } })
                parser.answeringHEAD = ends < answering.count && answering[ends] == .HEAD
                guard let part = try parser.next() else { break }
                parts.append(part)
            }
        }
        if let last = parser.finish() { parts.append(last) }
        return (parts, parser)
    }

    /// The parts NIO's decoder yields for `sample`, given whole and followed by the end of input.
    static func nioParts(_ sample: Sample) throws -> [HTTP1Parser.Part] {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        switch sample.kind {
        case .request:
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
        case .response:
            // The response decoder learns which request each response answers from the request
            // heads written through it.
            try channel.pipeline.syncOperations.addHandlers([HTTPRequestEncoder(), ByteToMessageHandler(HTTPResponseDecoder())])
            for method in sample.answering {
                try channel.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: "/")))
            }
        }
        try channel.writeInbound(ByteBuffer(bytes: sample.bytes))
        channel.pipeline.fireChannelInactive()
        try channel.throwIfErrorCaught()
        var parts: [HTTP1Parser.Part] = []
        func read<Head: Equatable>(_ head: (Head) -> HTTP1Parser.Part) throws {
            while let part = try channel.readInbound(as: HTTPPart<Head, ByteBuffer>.self) {
                switch part {
                case .head(let value): parts.append(head(value))
                case .body(let body): parts.append(.body(body))
                case .end(let trailers): parts.append(.end(trailers))
                }
            }
        }
        switch sample.kind {
        case .request: try read(HTTP1Parser.Part.requestHead)
        case .response: try read(HTTP1Parser.Part.responseHead)
        }
        return parts
    }

    // MARK: Valid messages, compared with NIO

    struct Sample: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: HTTP1Parser.Kind
        var bytes: [UInt8]
        /// Responses: the method of the request each answers.
        var answering: [HTTPMethod] = []

        var testDescription: String { name }

        static func request(_ name: String, _ text: String) -> Sample {
            Sample(name: name, kind: .request, bytes: Array(text.utf8))
        }

        static func response(_ name: String, _ text: String, answering: [HTTPMethod] = [.GET]) -> Sample {
            Sample(name: name, kind: .response, bytes: Array(text.utf8), answering: answering)
        }
    }

    static let manyHeaders = (1...40).map { "X-Header-\($0): value number \($0)\r\n" }.joined()

    static let requests: [Sample] = [
        .request("GET", "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test/1.0\r\nAccept: */*\r\n\r\n"),
        .request("HEAD", "HEAD /index.html HTTP/1.1\r\nHost: a\r\n\r\n"),
        .request("POST with Content-Length", "POST /submit HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world"),
        .request("PUT with Content-Length 0", "PUT /r HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"),
        .request("DELETE", "DELETE /items/42 HTTP/1.1\r\nHost: a\r\n\r\n"),
        .request("OPTIONS, asterisk target", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
        .request("PURGE, extension method", "PURGE /cache/key HTTP/1.1\r\nHost: a\r\n\r\n"),
        .request("PATCH with a body", "PATCH /p HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}"),
        .request("absolute-form target", "GET http://example.com:8080/p/q?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"),
        .request("query and percent-encoding", "GET /a%2Fb/c%20d?q=a+b&x=%E2%9C%93&empty=&k HTTP/1.1\r\nHost: a\r\n\r\n"),
        .request("HTTP/1.0", "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
        .request("HTTP/1.0 POST with Content-Length", "POST /form HTTP/1.0\r\nContent-Length: 3\r\n\r\na=b"),
        .request("many headers", "GET /many HTTP/1.1\r\nHost: a\r\n" + manyHeaders + "\r\n"),
        .request("repeated headers keep their order",
                 "GET / HTTP/1.1\r\nAccept: text/html\r\nCookie: a=1\r\nAccept: application/json\r\ncookie: b=2\r\nHost: a\r\n\r\n"),
        .request("OWS before values", "GET / HTTP/1.1\r\nHost:a\r\nX-A:   spaced\r\nX-B:\ttabbed\r\nX-C: \t inner  space \t kept\r\n\r\n"),
        .request("empty values", "GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Space: \r\nX-Tab:\t\r\n\r\n"),
        .request("colons and non-ASCII in values", "GET / HTTP/1.1\r\nHost: a:443\r\nX-Time: 12:34:56\r\nX-Name: Zoë ✓\r\n\r\n"),
        .request("Content-Length with leading zeros, name in any case", "POST / HTTP/1.1\r\ncontent-LENGTH: 003\r\n\r\nabc"),
        .request("body holding CRLFs", "POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\na\r\n\r\nb\r\n0\r\n\r\n"),
        .request("chunked", "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
        .request("chunked, upper-case hex, extensions",
                 "POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n3;a;b=\"q\"\r\nxyz\r\n0;last\r\n\r\n"),
        .request("chunked with trailers",
                 "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Checksum: 900150983cd2\r\nX-Other: 1\r\n\r\n"),
        .request("gzip, chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nzz\r\n0\r\n\r\n"),
        .request("pipelined",
                 "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                 + "POST /3 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\nGET /4 HTTP/1.0\r\n\r\n"),
        .request("leading empty lines", "\r\n\r\nGET /1 HTTP/1.1\r\nHost: a\r\n\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"),
    ]

    static let responses: [Sample] = [
        .response("200 with Content-Length", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"),
        .response("Content-Length 0", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        .response("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"),
        .response("chunked with trailers",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\nGrpc-Status: 0\r\nGrpc-Message: ok\r\n\r\n"),
        .response("204", "HTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n"),
        .response("304 with a Content-Length", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 100\r\n\r\n"),
        .response("answering HEAD, with a Content-Length",
                  "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", answering: [.HEAD, .GET]),
        .response("100 then 200", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
        .response("103 then 200", "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        .response("no framing: until close", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>\r\n\r\n</html>"),
        .response("Transfer-Encoding not chunked: until close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nrawbytes"),
        .response("Transfer-Encoding chunked, gzip: until close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nabc"),
        .response("HTTP/1.0 until close", "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until close"),
        .response("HTTP/1.0 with Content-Length", "HTTP/1.0 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"),
        .response("custom code, empty and long reasons",
                  "HTTP/1.1 599 \r\nContent-Length: 0\r\n\r\nHTTP/1.1 418 I'm a teapot, short and stout\r\nContent-Length: 0\r\n\r\n",
                  answering: [.GET, .GET]),
        .response("repeated Set-Cookie", "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2; Path=/\r\nContent-Length: 0\r\n\r\n"),
        .response("pipelined",
                  "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 204 No Content\r\n\r\n"
                  + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!",
                  answering: [.GET, .GET, .POST, .GET]),
    ]

    /// `sample` fed as `feeding` says yields what NIO yields for it given whole.
    static func expectSameAsNIO(_ sample: Sample, _ feeding: Feeding) throws {
        let expected = events(try nioParts(sample))
        #expect(expected.contains { if case .end = $0 { true } else { false } }, "NIO read no whole message")
        var mismatches: [String] = []
        for chunks in feeding.splits(of: sample.bytes) {
            let pieces = chunks.count > 2 ? "\(chunks.count) pieces" : "pieces \(chunks.map(\.count))"
            do {
                let got = events(try parse(sample.kind, chunks, answering: sample.answering).parts)
                if got != expected { mismatches.append("\(pieces): \(got)") }
            } catch {
                mismatches.append("\(pieces): threw \(error)")
            }
        }
        #expect(mismatches.isEmpty, """
            \(mismatches.count) feeding(s) differ from NIO's \(expected), such as:
            \(mismatches.prefix(3).joined(separator: "\n"))
            """)
    }

    @Test("requests parse into the parts NIO's HTTPRequestDecoder yields", arguments: Self.requests, Feeding.allCases)
    func requestsMatchNIO(sample: Sample, feeding: Feeding) throws {
        try Self.expectSameAsNIO(sample, feeding)
    }

    @Test("responses parse into the parts NIO's HTTPResponseDecoder yields", arguments: Self.responses, Feeding.allCases)
    func responsesMatchNIO(sample: Sample, feeding: Feeding) throws {
        try Self.expectSameAsNIO(sample, feeding)
    }

    @Test("once every part is taken the parser holds no bytes", arguments: Self.requests + Self.responses)
    func holdsNothingAfterwards(sample: Sample) throws {
        var (_, parser) = try Self.parse(sample.kind, [sample.bytes], answering: sample.answering)
        #expect(!parser.hasUnparsedBytes)
        #expect(parser.isAtMessageStart)
        #expect(parser.takeUnparsedBytes() == nil)
    }

    // MARK: Rejections

    struct Rejection: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: HTTP1Parser.Kind
        var bytes: [UInt8]
        var error: HTTP1ParseError
        var maxHeadBytes: Int

        var testDescription: String { name }

        static func request(_ name: String, _ text: String, _ reason: HTTP1ParseError.Reason, field: String? = nil,
                            maxHeadBytes: Int = 1024) -> Rejection {
            Rejection(name: name, kind: .request, bytes: Array(text.utf8), error: HTTP1ParseError(reason, field: field),
                      maxHeadBytes: maxHeadBytes)
        }

        static func response(_ name: String, _ text: String, _ reason: HTTP1ParseError.Reason, field: String? = nil,
                             maxHeadBytes: Int = 1024) -> Rejection {
            Rejection(name: name, kind: .response, bytes: Array(text.utf8), error: HTTP1ParseError(reason, field: field),
                      maxHeadBytes: maxHeadBytes)
        }
    }

    static let post = "POST / HTTP/1.1\r\nHost: a\r\n"
    static let chunkedPost = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"  // 47 bytes
    static let get = "GET / HTTP/1.1\r\nHost: a\r\n"
    static let cl = "Content-Length"
    static let te = "Transfer-Encoding"

    static let rejections: [Rejection] = [
        // Framing
        .request("Content-Length then Transfer-Encoding", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                 .contentLengthWithTransferEncoding),
        .request("Transfer-Encoding then Content-Length", post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
                 .contentLengthWithTransferEncoding),
        .response("response with Content-Length and Transfer-Encoding",
                  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .contentLengthWithTransferEncoding),
        .request("two equal Content-Length", post + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", .duplicateContentLength, field: cl),
        .request("two different Content-Length", post + "Content-Length: 3\r\ncontent-length: 5\r\n\r\nabcde", .duplicateContentLength, field: cl),
        .request("Content-Length abc", post + "Content-Length: abc\r\n\r\n", .invalidContentLength, field: cl),
        .request("Content-Length -5", post + "Content-Length: -5\r\n\r\n", .invalidContentLength, field: cl),
        .request("Content-Length +5", post + "Content-Length: +5\r\n\r\nabcde", .invalidContentLength, field: cl),
        .request("Content-Length 1 2", post + "Content-Length: 1 2\r\n\r\n", .invalidContentLength, field: cl),
        .request("Content-Length list", post + "Content-Length: 3, 3\r\n\r\nabc", .invalidContentLength, field: cl),
        .request("Content-Length empty", post + "Content-Length: \r\n\r\n", .invalidContentLength, field: cl),
        .request("Content-Length of 19 digits", post + "Content-Length: 1000000000000000000\r\n\r\n", .invalidContentLength, field: cl),
        .response("response Content-Length abc", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", .invalidContentLength, field: cl),
        .request("Transfer-Encoding gzip", post + "Transfer-Encoding: gzip\r\n\r\nabc", .unsupportedTransferEncoding, field: te),
        .request("Transfer-Encoding chunked, gzip", post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
                 .unsupportedTransferEncoding, field: te),
        .request("Transfer-Encoding chunked, chunked", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
                 .unsupportedTransferEncoding, field: te),
        .request("Transfer-Encoding chunked on two lines", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                 .unsupportedTransferEncoding, field: te),
        .request("Transfer-Encoding empty", post + "Transfer-Encoding: \r\n\r\n", .unsupportedTransferEncoding, field: te),
        .request("Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                 .unsupportedTransferEncoding, field: te),
        .response("response Transfer-Encoding on HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                  .unsupportedTransferEncoding, field: te),
        .response("response Transfer-Encoding chunked, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
                  .unsupportedTransferEncoding, field: te),
        // Field lines
        .request("obs-fold", get + "X-A: a\r\n  folded\r\n\r\n", .obsoleteLineFolding),
        .request("whitespace before the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", .obsoleteLineFolding),
        .request("space in a name", get + "Bad Name: x\r\n\r\n", .invalidHeaderName),
        .request("space before the colon", get + "Name : x\r\n\r\n", .invalidHeaderName),
        .request("empty name", get + ": x\r\n\r\n", .invalidHeaderName),
        .request("no colon", get + "NoColon\r\n\r\n", .missingColon),
        .response("response field without colon", "HTTP/1.1 200 OK\r\nNoColon\r\nContent-Length: 0\r\n\r\n", .missingColon),
        .request("NUL in a value", get + "X-A: a\u{0}b\r\n\r\n", .invalidHeaderValue, field: "X-A"),
        .request("DEL in a value", get + "X-A: a\u{7F}b\r\n\r\n", .invalidHeaderValue, field: "X-A"),
        .request("escape in a value", get + "X-A: \u{1B}[31m\r\n\r\n", .invalidHeaderValue, field: "X-A"),
        .request("bare CR in a value", get + "X-A: a\rb\r\n\r\n", .bareCarriageReturn, field: "X-A"),
        .request("bare CR ending a field line", get + "X-A: a\rX-B: b\r\n\r\n", .bareCarriageReturn, field: "X-A"),
        .request("bare CR in a name", get + "X-\rA: b\r\n\r\n", .bareCarriageReturn),
        .request("bare CR for the empty line", get + "\r\r\n\r\n", .bareCarriageReturn),
        .request("bare CR before the request line", "\rGET / HTTP/1.1\r\n\r\n", .bareCarriageReturn),
        .request("bare CR ending the request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", .invalidRequestLine),
        .response("NUL in a response value", "HTTP/1.1 200 OK\r\nX-A: \u{0}\r\nContent-Length: 0\r\n\r\n", .invalidHeaderValue, field: "X-A"),
        .request("obs-fold in trailers", chunkedPost + "0\r\nX-T: a\r\n b\r\n\r\n", .obsoleteLineFolding),
        .request("NUL in a trailer value", chunkedPost + "0\r\nX-T: \u{0}\r\n\r\n", .invalidHeaderValue, field: "X-T"),
        // Chunks
        .request("chunk size zz", chunkedPost + "zz\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        .request("empty chunk size", chunkedPost + "\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        .request("chunk size of 17 hex digits", chunkedPost + "10000000000000000\r\nx\r\n0\r\n\r\n", .invalidChunkSize),
        .request("chunk size over 63 bits", chunkedPost + "ffffffffffffffff\r\nx\r\n0\r\n\r\n", .invalidChunkSize),
        .request("chunk size line ending in a bare LF", chunkedPost + "5\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        .request("chunk size with a sign", chunkedPost + "-5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        .request("control character in a chunk extension", chunkedPost + "5;a=\u{1}\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        .request("garbage after the chunk size", chunkedPost + "5 xyz\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        .request("empty chunk extension", chunkedPost + "5;\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        .request("chunk-size line over 4 KiB, not all arrived", chunkedPost + "5;" + String(repeating: "e", count: 5000), .invalidChunkSize),
        .request("chunk-size line over 4 KiB, arrived whole",
                 chunkedPost + "5;" + String(repeating: "e", count: 5000) + "\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        .request("chunk data longer than its size", chunkedPost + "3\r\nhello\r\n0\r\n\r\n", .missingChunkTerminator),
        .response("response chunk data without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi0\r\n\r\n",
                  .missingChunkTerminator),
        // Request lines
        .request("double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("no version", "GET /\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("empty version", "GET / \r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("no target", "GET HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
        .request("HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", .unsupportedVersion),
        .request("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("something after the version", "GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("space in the target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("tab in the target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("control character in the target", "GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("NUL in the target", "GET /a\u{0}b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("DEL in the target", "GET /a\u{7F}b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        .request("method not a token", "GE/T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        // Status lines
        .response("four-digit status", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        .response("two-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        .response("status below 100", "HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        .response("letters for a status", "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        .response("garbage status line", "garbage\r\n\r\n", .invalidStatusLine),
        .response("control character in the reason", "HTTP/1.1 200 O\u{1}K\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        .response("response HTTP/2.0", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", .unsupportedVersion),
        // Sizes
        .request("head over the limit, not all arrived", "GET /" + String(repeating: "a", count: 100), .headTooLarge(limit: 64),
                 maxHeadBytes: 64),
        .request("head over the limit, arrived whole", get + "X: " + String(repeating: "a", count: 80) + "\r\n\r\n",
                 .headTooLarge(limit: 64), maxHeadBytes: 64),
        .response("response head over the limit", "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 80) + "\r\n\r\n",
                  .headTooLarge(limit: 64), maxHeadBytes: 64),
        .request("trailers over the limit, arrived whole", chunkedPost + "0\r\nX-T: " + String(repeating: "a", count: 80) + "\r\n\r\n",
                 .headTooLarge(limit: 64), maxHeadBytes: 64),
        .request("trailers over the limit, not all arrived", chunkedPost + "0\r\nX-T: " + String(repeating: "a", count: 80),
                 .headTooLarge(limit: 64), maxHeadBytes: 64),
    ]

    @Test("malformed or ambiguous messages are rejected", arguments: Self.rejections, Feeding.allCases)
    func rejects(rejection: Rejection, feeding: Feeding) {
        var outcomes: [String] = []
        for chunks in feeding.splits(of: rejection.bytes) {
            do {
                let parts = try Self.parse(rejection.kind, chunks, maxHeadBytes: rejection.maxHeadBytes).parts
                outcomes.append("accepted as \(Self.events(parts))")
            } catch where error != rejection.error {
                outcomes.append("threw \(error)")
            } catch {}
        }
        #expect(outcomes.isEmpty, "\(outcomes.count) feeding(s) did not throw \(rejection.error), such as: \(outcomes.prefix(3))")
    }

    // MARK: Behaviour

    @Test("body parts are slices of the buffer received, not copies", arguments: [
        (Self.post + "Content-Length: 11\r\n\r\nhello world", "hello world"),
        (Self.chunkedPost + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world"),
    ])
    func bodiesAreSlices(message: String, body: String) throws {
        let input = ByteBuffer(string: message)
        var parser = HTTP1Parser(kind: .request, maxHeadBytes: 1024)
        parser.append(input)
        let storage = input.withUnsafeReadableBytes { Int(bitPattern: $0.baseAddress) ..< Int(bitPattern: $0.baseAddress) + $0.count }
        var received: [UInt8] = []
        while let part = try parser.next() {
            guard case .body(let slice) = part else { continue }
            let start = slice.withUnsafeReadableBytes { Int(bitPattern: $0.baseAddress) }
            // The slice's bytes lie where they were received, in the same storage.
            #expect(storage.contains(start) && start + slice.readableBytes <= storage.upperBound)
            #expect(input.getBytes(at: input.readerIndex + start - storage.lowerBound, length: slice.readableBytes)
                    == Array(slice.readableBytesView))
            received += slice.readableBytesView
        }
        #expect(received == Array(body.utf8))
    }

    @Test("a head that has not arrived whole yields nothing, then parses once it has")
    func partialHead() throws {
        var parser = HTTP1Parser(kind: .request, maxHeadBytes: 1024)
        var parts: [HTTP1Parser.Part] = []
        for piece in ["GET /a HTTP/1.1\r\nHo", "st: exa", "mple.com\r\n\r", "\n"] {
            #expect(parts.isEmpty)
            parser.append(ByteBuffer(string: piece))
            while let part = try parser.next() { parts.append(part) }
        }
        #expect(Self.events(parts) == [.head("GET /a HTTP/1.1\nHost: example.com"), .end(nil)])
        #expect(!parser.hasUnparsedBytes)
    }

    /// Where the parser departs from NIO on purpose: NIO keeps a value's trailing whitespace,
    /// which RFC 9110 §5.5 excludes from the value; NIO (llhttp in strict mode) rejects octets
    /// above 0x7F in the target, which the parser passes on as received.
    @Test("trailing whitespace is not part of a value; raw UTF-8 in the target is kept")
    func departuresFromNIO() throws {
        let message = "GET /café/✓?q=ü HTTP/1.1\r\nHost: a \r\nX-A:  spaced \t \r\nX-B: inner  space\t\r\nX-Empty: \t\r\n\r\n"
        let parts = try Self.parse(.request, [Array(message.utf8)]).parts
        #expect(Self.events(parts) == [.head("GET /café/✓?q=ü HTTP/1.1\nHost: a\nX-A: spaced\nX-B: inner  space\nX-Empty: "), .end(nil)])
    }

    @Test("a head of exactly the limit is read; a partial head of the limit waits for more")
    func limitBoundary() throws {
        let head = Array((Self.get + "\r\n").utf8)
        let parts = try Self.parse(.request, [head], maxHeadBytes: head.count).parts
        #expect(Self.events(parts) == [.head("GET / HTTP/1.1\nHost: a"), .end(nil)])
        #expect(throws: HTTP1ParseError(.headTooLarge(limit: head.count - 1))) {
            try Self.parse(.request, [head], maxHeadBytes: head.count - 1)
        }
        let partial = Array(String(repeating: "a", count: 64).utf8)
        #expect(try Self.parse(.request, [partial], maxHeadBytes: 64).parts.isEmpty)
    }

    @Test("a 64 KiB head sent a byte at a time is read")
    func slowSender() throws {
        let filler = (0..<600).map { "X-Filler-\($0): " + String(repeating: "v", count: 96) + "\r\n" }.joined()
        let message = Array(("GET /slow HTTP/1.1\r\n" + filler + "\r\n").utf8)
        #expect(message.count > 64 * 1024)
        let parts = try Self.parse(.request, Feeding.byteByByte.splits(of: message)[0], maxHeadBytes: 128 * 1024).parts
        guard case .requestHead(let head) = try #require(parts.first) else {
            Issue.record("no head: \(Self.events(parts))")
            return
        }
        #expect(head.uri == "/slow")
        #expect(head.headers.count == 600)
        #expect(head.headers["X-Filler-599"] == [String(repeating: "v", count: 96)])
        #expect(parts.count == 2)
    }

    static let upgradeRequests = [
        "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    ]

    /// Bytes of another protocol, some looking like HTTP/1.
    static let otherProtocol = "\u{81}\u{85}frame\r\n\r\nGET / HTTP/1.1\r\n\r\n"

    @Test("parsing pauses after a request that asks to switch protocols; the bytes after are handed over",
          arguments: Self.upgradeRequests)
    func upgradeRequestPauses(head: String) throws {
        var parser = HTTP1Parser(kind: .request, maxHeadBytes: 1024)
        parser.append(ByteBuffer(string: head + "\u{81}\u{85}fra"))
        var parts: [HTTP1Parser.Part] = []
        while let part = try parser.next() { parts.append(part) }
        parser.append(ByteBuffer(string: "me\r\n\r\nGET / HTTP/1.1\r\n\r\n"))
        #expect(try parser.next() == nil)
        #expect(parts.count == 2)
        #expect(Self.events(parts).last == .end(nil))
        #expect(parser.isPaused)
        #expect(parser.takeUnparsedBytes() == ByteBuffer(string: Self.otherProtocol))
        #expect(!parser.hasUnparsedBytes)
        #expect(parser.takeUnparsedBytes() == nil)
    }

    @Test("after a refused upgrade, resume() reads the next request", arguments: Self.upgradeRequests)
    func resumeAfterPause(head: String) throws {
        var parser = HTTP1Parser(kind: .request, maxHeadBytes: 1024)
        parser.append(ByteBuffer(string: head + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"))
        var parts: [HTTP1Parser.Part] = []
        while let part = try parser.next() { parts.append(part) }
        #expect(parts.count == 2)
        #expect(parser.isPaused)
        parser.resume()
        #expect(!parser.isPaused)
        parts.removeAll()
        while let part = try parser.next() { parts.append(part) }
        #expect(Self.events(parts) == [.head("GET /next HTTP/1.1\nHost: a"), .end(nil)])
        #expect(!parser.hasUnparsedBytes)
    }

    @Test("parsing pauses after a 101 response; the bytes after are handed over")
    func switchingProtocolsPauses() throws {
        let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        var (parts, parser) = try Self.parse(.response, [Array((head + Self.otherProtocol).utf8)])
        #expect(Self.events(parts) == [.head("HTTP/1.1 101\nUpgrade: websocket\nConnection: Upgrade"), .end(nil)])
        #expect(parser.isPaused)
        #expect(try parser.next() == nil)
        #expect(parser.takeUnparsedBytes() == ByteBuffer(string: Self.otherProtocol))
    }

    @Test("a response body without framing runs until finish()")
    func untilClose() throws {
        var parser = HTTP1Parser(kind: .response, maxHeadBytes: 1024)
        var parts: [HTTP1Parser.Part] = []
        for piece in ["HTTP/1.1 200 OK\r\nX: y\r\n\r\nabc", "def"] {
            parser.append(ByteBuffer(string: piece))
            while let part = try parser.next() { parts.append(part) }
        }
        #expect(parser.readsUntilClose)
        let last = parser.finish()
        parts += [try #require(last)]
        #expect(Self.events(parts) == [.head("HTTP/1.1 200\nX: y"), .body("abcdef"), .end(nil)])
        #expect(parser.finish() == nil)
        #expect(parser.isAtMessageStart)
    }

    @Test("finish() in the middle of a body with a length yields nothing")
    func finishMidBody() throws {
        var (parts, parser) = try Self.parse(.response, [Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8)])
        #expect(Self.events(parts) == [.head("HTTP/1.1 200\nContent-Length: 10"), .body("abc")])
        #expect(parser.finish() == nil)
        #expect(!parser.isAtMessageStart)
    }

    @Test("a response to HEAD has no body whatever its Content-Length; the next response is read")
    func headResponse() throws {
        let bytes = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
        let parts = try Self.parse(.response, [Array(bytes.utf8)], answering: [.HEAD, .GET]).parts
        #expect(Self.events(parts) == [
            .head("HTTP/1.1 200\nContent-Length: 100"), .end(nil),
            .head("HTTP/1.1 200\nContent-Length: 2"), .body("hi"), .end(nil),
        ])
    }

    @Test("interim responses other than 101 are dropped")
    func interimDropped() throws {
        let bytes = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        let parts = try Self.parse(.response, [Array(bytes.utf8)]).parts
        #expect(Self.events(parts) == [.head("HTTP/1.1 200\nContent-Length: 2"), .body("ok"), .end(nil)])
    }

    /// A client that sends the last CR and LF of a chunked request in two writes must not make
    /// the next request's head vanish, nor its body read as a request of its own.
    @Test("the last CRLF of a chunked message arriving apart from its CR does not swallow the next request")
    func lastCRLFSplit() throws {
        let inner = "GET /admin HTTP/1.1\r\nHost: internal\r\n\r\n"
        let chunks = [Self.chunkedPost + "1\r\nx\r\n0\r\n\r", "\nPOST /next HTTP/1.1\r\nContent-Length: \(inner.utf8.count)\r\n\r\n" + inner]
        let parts = try Self.parse(.request, chunks.map { Array($0.utf8) }).parts
        #expect(Self.events(parts) == [
            .head("POST / HTTP/1.1\nTransfer-Encoding: chunked"), .body("x"), .end(nil),
            .head("POST /next HTTP/1.1\nContent-Length: \(inner.utf8.count)"), .body(inner), .end(nil),
        ])
    }
}
