import Config
@testable import Middlewares
import NIOCore
import NIOHTTP1
import Testing

/// The compress middleware through the response pipeline: what is compressed, how, and that the
/// client can decode it.
@Suite struct CompressTests {
    private func chain(_ configure: (inout Middleware.Compress) -> Void = { _ in }) throws -> MiddlewareChain {
        var config = Middleware.Compress()
        configure(&config)
        return try MiddlewareCatalog(["c": .compress(config)]).chain(for: ["c"])
    }

    private func accepting(_ value: String?, method: HTTPMethod = .GET, extra: [(String, String)] = []) -> MiddlewareRequest {
        request("/", method: method, headers: (value.map { [("Accept-Encoding", $0)] } ?? []) + extra)
    }

    @Test("gzip and br round-trip, streamed over many chunks, Content-Length dropped and Vary set",
          arguments: [("gzip", "gzip"), ("br", "br"), ("gzip, br", "br"), ("gzip;q=1, br;q=0.1", "gzip")])
    func roundTrip(accept: String, coding: String) throws {
        let text = wordSalad(1_000_000)
        let chunks = stride(from: 0, to: text.count, by: 16_000).map { Array(text[$0..<min($0 + 16_000, text.count)]) }
        let sink = send(responseHead(200, [("Content-Type", "text/plain"), ("Content-Length", "\(text.count)")]),
                        body: chunks, through: try chain(), request: accepting(accept))
        let head = try #require(sink.head)
        #expect(head.headers.first(name: "content-encoding") == coding)
        #expect(!head.headers.contains(name: "content-length"))
        #expect(head.headers[canonicalForm: "vary"].contains("Accept-Encoding"))
        #expect(sink.ended)
        let decoded = coding == "gzip" ? try gunzip(sink.body) : try unbrotli(sink.body)
        #expect(decoded == text)
        #expect(sink.body.count < text.count / 2)
        // Streamed: output left before the end, not all at once (the compressor holds at most
        // about its window).
        #expect(sink.chunks.count > 2)
    }

    @Test("a flush sends everything so far in decodable form", arguments: ["gzip", "br"])
    func flushIsDecodable(coding: String) throws {
        let chain = try chain()
        let sink = RecordingSink()
        let pipeline = ResponsePipeline(chain: chain, request: accepting(coding), passed: 1, client: sink)
        pipeline.writeHead(responseHead(200, [("Content-Type", "text/event-stream")]))
        pipeline.writeBody(ByteBuffer(string: "data: one\n\n"))
        pipeline.flush()
        let first = coding == "gzip" ? try gunzip(sink.body, partial: true) : try unbrotli(sink.body, partial: true)
        #expect(first == Array("data: one\n\n".utf8))
        #expect(sink.flushes == 1)
        pipeline.writeBody(ByteBuffer(string: "data: two\n\n"))
        pipeline.writeEnd(nil)
        let all = coding == "gzip" ? try gunzip(sink.body) : try unbrotli(sink.body)
        #expect(all == Array("data: one\n\ndata: two\n\n".utf8))
    }

    @Test("server-sent events are compressed at once, not held back for the minimum size")
    func eventStreamNotHeld() throws {
        let chain = try chain()
        let sink = RecordingSink()
        let pipeline = ResponsePipeline(chain: chain, request: accepting("gzip"), passed: 1, client: sink)
        pipeline.writeHead(responseHead(200, [("Content-Type", "text/event-stream; charset=utf-8")]))
        #expect(sink.head?.headers.first(name: "content-encoding") == "gzip")
        pipeline.writeBody(ByteBuffer(string: "data: tick\n\n"))
        pipeline.flush()
        #expect(!sink.chunks.isEmpty)
    }

    @Test("without Content-Length the body is held back until the minimum is reached")
    func heldUntilMinimum() throws {
        let chain = try chain { $0.minResponseBodyBytes = 100 }
        let sink = RecordingSink()
        let pipeline = ResponsePipeline(chain: chain, request: accepting("gzip"), passed: 1, client: sink)
        pipeline.writeHead(responseHead(200, [("Content-Type", "text/html")]))
        pipeline.writeBody(ByteBuffer(bytes: compressibleText(60)))
        pipeline.flush()
        #expect(sink.head == nil)
        pipeline.writeBody(ByteBuffer(bytes: compressibleText(60)))
        #expect(sink.head?.headers.first(name: "content-encoding") == "gzip")
        pipeline.writeEnd(nil)
        #expect(try gunzip(sink.body) == compressibleText(60) + compressibleText(60))
    }

    @Test("a body that ends below the minimum goes out as it came, with Vary")
    func smallUnknownLength() throws {
        let sink = send(responseHead(200, [("Content-Type", "text/html")]), body: [Array("tiny".utf8)],
                        through: try chain(), request: accepting("gzip"))
        #expect(sink.head?.headers.contains(name: "content-encoding") == false)
        #expect(sink.head?.headers[canonicalForm: "vary"].contains("Accept-Encoding") == true)
        #expect(sink.body == Array("tiny".utf8))
        #expect(sink.ended)
    }

    @Test("responses that are never compressed pass untouched", arguments: [
        (responseHead(200, [("Content-Length", "10")]), "gzip", HTTPMethod.GET, [(String, String)]()),  // below the minimum
        (responseHead(200, [("Content-Length", "5000"), ("Content-Encoding", "br")]), "gzip", .GET, []),
        (responseHead(204), "gzip", .GET, []),
        (responseHead(304), "gzip", .GET, []),
        (responseHead(206, [("Content-Range", "bytes 0-4999/9000"), ("Content-Length", "5000")]), "gzip", .GET, []),
        (responseHead(200, [("Content-Length", "5000")]), "gzip", .HEAD, []),
        (responseHead(200, [("Content-Length", "5000")]), "gzip", .GET, [("Range", "bytes=0-")]),
        (responseHead(200, [("Content-Length", "5000"), ("Content-Type", "application/grpc")]), "gzip", .POST, []),
        (responseHead(200, [("Content-Length", "5000")]), "identity", .GET, []),
        (responseHead(200, [("Content-Length", "5000")]), "deflate", .GET, []),
    ] as [(HTTPResponseHead, String, HTTPMethod, [(String, String)])])
    func untouched(head: HTTPResponseHead, accept: String, method: HTTPMethod, extra: [(String, String)]) throws {
        let body = compressibleText(5000)
        let sink = send(head, body: [body], through: try chain(), request: accepting(accept, method: method, extra: extra))
        #expect(sink.head?.headers.contains(name: "content-encoding") == head.headers.contains(name: "content-encoding"))
        #expect(sink.body == body)
    }

    @Test("excludedContentTypes and includedContentTypes compare media types case- and space-insensitively")
    func contentTypes() throws {
        let excluding = try chain { $0.excludedContentTypes = ["Text/Event-Stream", "image/svg+xml"] }
        let including = try chain { $0.includedContentTypes = ["application/json"] }
        func coded(_ chain: MiddlewareChain, _ type: String) -> Bool {
            let sink = send(responseHead(200, [("Content-Type", type), ("Content-Length", "3000")]), body: [compressibleText(3000)],
                            through: chain, request: accepting("gzip"))
            return sink.head?.headers.contains(name: "content-encoding") == true
        }
        #expect(!coded(excluding, "text/event-stream"))
        #expect(!coded(excluding, "image/SVG+xml; charset=utf-8"))
        #expect(coded(excluding, "text/html"))
        #expect(coded(including, "application/json; charset=utf-8"))
        #expect(!coded(including, "text/html"))
    }

    @Test("an encoding that is preferred but not served falls back; defaultEncoding applies without Accept-Encoding")
    func encodingsOption() throws {
        let gzipOnly = try chain { $0.encodings = ["zstd", "gzip"] }
        let sink = send(responseHead(200, [("Content-Length", "3000")]), body: [compressibleText(3000)],
                        through: gzipOnly, request: accepting("zstd, br, gzip"))
        #expect(sink.head?.headers.first(name: "content-encoding") == "gzip")
        let defaulted = try chain { $0.defaultEncoding = "br" }
        let noHeader = send(responseHead(200, [("Content-Length", "3000")]), body: [compressibleText(3000)],
                            through: defaulted, request: accepting(nil))
        #expect(noHeader.head?.headers.first(name: "content-encoding") == "br")
        let none = send(responseHead(200, [("Content-Length", "3000")]), body: [compressibleText(3000)],
                        through: try chain(), request: accepting(nil))
        #expect(none.head?.headers.contains(name: "content-encoding") == false)
    }

    @Test("configuration errors name their option")
    func configurationErrors() {
        func error(_ configure: (inout Middleware.Compress) -> Void) -> String? {
            var config = Middleware.Compress()
            configure(&config)
            do {
                _ = try Compress(config, keyPath: "http.middlewares.c.compress")
                return nil
            } catch {
                return error.keyPath
            }
        }
        #expect(error { $0.excludedContentTypes = ["a/b"]; $0.includedContentTypes = ["c/d"] } == "http.middlewares.c.compress")
        #expect(error { $0.encodings = ["gzip", "lzma"] } == "http.middlewares.c.compress.encodings[1]")
        #expect(error { $0.encodings = ["zstd"] } == "http.middlewares.c.compress.encodings")
        #expect(error { $0.defaultEncoding = "zstd" } == "http.middlewares.c.compress.defaultEncoding")
        #expect(error { $0.excludedContentTypes = ["nonsense"] } == "http.middlewares.c.compress.excludedContentTypes[0]")
        #expect(error { _ in } == nil)
    }
}
