import Config
@testable import Middlewares
import NIOCore
import NIOPosix
import NIOHTTP1
import Testing

/// The errors middleware: status lists, the page query, and replacing a response with a page.
@Suite struct ErrorPagesTests {
    @Test("status codes, ranges and comma-separated lists", arguments: [
        (["500-599"], [500, 503, 599], [499, 600, 404]),
        (["404"], [404], [403, 405]),
        (["400-404,500"], [400, 402, 404, 500], [405, 501]),
        (["418", " 500 - 502 "], [418, 500, 501, 502], [503]),
    ])
    func ranges(entries: [String], inside: [Int], outside: [Int]) throws {
        let ranges = try StatusRanges(entries)
        for status in inside { #expect(ranges.contains(status)) }
        for status in outside { #expect(!ranges.contains(status)) }
    }

    @Test("entries that are not statuses are errors that name the entry", arguments: [
        ["abc"], ["500-"], ["599-500"], ["500", "5000"], ["40x"], ["500,,502"],
    ])
    func badRanges(entries: [String]) {
        #expect(throws: StatusRangeError.self) { try StatusRanges(entries) }
    }

    /// A page source answering at once on `eventLoop`, recording what was asked (used on that
    /// loop only).
    final class Pages: ErrorPageSource, @unchecked Sendable {
        let eventLoop: any EventLoop
        var asked: [(uri: String, host: String)] = []
        var fail = false
        init(_ eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()) { self.eventLoop = eventLoop }

        func fetchErrorPage(uri: String, for request: MiddlewareRequest) -> EventLoopFuture<ErrorPage> {
            asked.append((uri, request.host))
            if fail { return eventLoop.makeFailedFuture(ErrorPageUnavailable()) }
            return eventLoop.makeSucceededFuture(ErrorPage(
                status: .ok, headers: ["Content-Type": "text/html", "Transfer-Encoding": "chunked"],
                body: ByteBuffer(string: "<h1>page for \(uri)</h1>")))
        }
    }

    func make(
        status: [String], query: String?, rewrites: [String: Int]? = nil, pages: Pages
    ) throws -> MiddlewareChain {
        var config = Middleware.Errors()
        config.status = status
        config.service = "pages"
        config.query = query
        config.statusRewrites = rewrites
        return try MiddlewareCatalog(["e": .errors(config)], errorPages: { $0 == "pages" || $0 == "pages@file" ? pages : nil })
            .chain(for: ["e"])
    }

    /// What the client got, in a form that leaves the event loop.
    struct Received: Sendable {
        let status: Int?
        let headers: HTTPHeaders
        let body: String
        let ended: Bool

        init(_ sink: RecordingSink) {
            status = sink.head.map { Int($0.status.code) }
            headers = sink.head?.headers ?? [:]
            body = String(decoding: sink.body, as: UTF8.self)
            ended = sink.ended
        }
    }

    /// Sends a response through `chain` on the pages' event loop (where the errors middleware
    /// resumes).
    private func exchange(
        _ head: HTTPResponseHead, body: [String], chain: MiddlewareChain, pages: Pages, uri: String = "/"
    ) async throws -> Received {
        try await pages.eventLoop.submit {
            Received(send(head, body: body.map { Array($0.utf8) }, through: chain,
                          request: self.loopRequest(uri, on: pages.eventLoop)))
        }.get()
    }

    private func loopRequest(_ uri: String, on loop: any EventLoop) -> MiddlewareRequest {
        let base = request(uri, host: "site.example")
        return MiddlewareRequest(head: base.head, host: base.host, isTLS: false, peerIP: base.peerIP, eventLoop: loop)
    }

    @Test("a status in range is replaced by the page, with the original status and the page's headers")
    func replaced() async throws {
        let pages = Pages()
        let chain = try make(status: ["500-599"], query: "/err/{status}.html?from={originalStatus}", pages: pages)
        let got = try await exchange(responseHead(503, [("Content-Type", "text/plain"), ("Content-Length", "11")]),
                                     body: ["backend say"], chain: chain, pages: pages)
        #expect(got.status == 503)
        #expect(got.headers.first(name: "content-type") == "text/html")
        #expect(!got.headers.contains(name: "transfer-encoding"))
        #expect(got.body == "<h1>page for /err/503.html?from=503</h1>")
        #expect(got.headers.first(name: "content-length") == String(got.body.utf8.count))
        #expect(got.ended)
        let asked = try await pages.eventLoop.submit { pages.asked.map { "\($0.uri) \($0.host)" } }.get()
        #expect(asked == ["/err/503.html?from=503 site.example"])
    }

    @Test("statusRewrites change the status sent and {status}; {originalStatus} stays the backend's")
    func rewritten() async throws {
        let pages = Pages()
        let chain = try make(status: ["400-599"], query: "/{status}-{originalStatus}", rewrites: ["502-504": 500, "418": 404], pages: pages)
        let got = try await exchange(responseHead(504), body: [], chain: chain, pages: pages)
        #expect(got.status == 500)
        #expect(got.body == "<h1>page for /500-504</h1>")
        let teapot = try await exchange(responseHead(418), body: [], chain: chain, pages: pages)
        #expect(teapot.status == 404)
    }

    @Test("statuses out of range pass untouched, body included")
    func passes() async throws {
        let pages = Pages()
        let chain = try make(status: ["500-599"], query: "/{status}", pages: pages)
        let got = try await exchange(responseHead(404, [("Content-Length", "4")]), body: ["nope"], chain: chain, pages: pages)
        #expect(got.status == 404)
        #expect(got.body == "nope")
        let asked = try await pages.eventLoop.submit { pages.asked.count }.get()
        #expect(asked == 0)
    }

    @Test("the page is sent only once the backend's response has ended; a failed fetch sends the status text")
    func ordering() async throws {
        let pages = Pages()
        pages.fail = true
        let chain = try make(status: ["500"], query: "/{status}", pages: pages)
        let (before, after) = try await pages.eventLoop.submit {
            let sink = RecordingSink()
            let pipeline = ResponsePipeline(chain: chain, request: self.loopRequest("/", on: pages.eventLoop), passed: 1, client: sink)
            pipeline.writeHead(responseHead(500))
            pipeline.writeBody(ByteBuffer(string: "discarded"))
            let before = Received(sink)
            pipeline.writeEnd(nil)
            return (before, Received(sink))
        }.get()
        #expect(before.status == nil)
        #expect(after.status == 500)
        #expect(after.body == "Internal Server Error")
        #expect(after.ended)
    }

    @Test("{url} is the request URL, query-escaped as Go does")
    func urlPlaceholder() {
        #expect(ErrorPages.queryEscape("/a b?c=d&e") == "%2Fa+b%3Fc%3Dd%26e")
    }

    @Test("an unknown service, a missing status list or a bad rewrite is an error of that middleware")
    func configurationErrors() {
        var config = Middleware.Errors()
        config.status = ["500"]
        config.service = "nowhere"
        #expect(throws: MiddlewareConfigurationError.self) { try MiddlewareCatalog(["e": .errors(config)]).chain(for: ["e"]) }
        let pages = Pages()
        #expect(throws: MiddlewareConfigurationError.self) { try make(status: [], query: "/", pages: pages) }
        #expect(throws: MiddlewareConfigurationError.self) { try make(status: ["5xx"], query: "/", pages: pages) }
        #expect(throws: MiddlewareConfigurationError.self) { try make(status: ["500"], query: "/", rewrites: ["500": 1000], pages: pages) }
    }
}

extension ErrorPagesTests {
    @Test("a HEAD request gets the page's head, with its length, and no body")
    func headRequest() async throws {
        let pages = Pages()
        let chain = try make(status: ["500"], query: "/{status}", pages: pages)
        let got = try await pages.eventLoop.submit {
            let base = request("/", method: .HEAD, host: "site.example")
            let head = MiddlewareRequest(head: base.head, host: base.host, isTLS: false, peerIP: base.peerIP, eventLoop: pages.eventLoop)
            return Received(send(responseHead(500), body: [], through: chain, request: head))
        }.get()
        #expect(got.status == 500)
        #expect(got.body.isEmpty)
        #expect(got.headers.first(name: "content-length") == String("<h1>page for /500</h1>".utf8.count))
        #expect(got.ended)
    }
}
