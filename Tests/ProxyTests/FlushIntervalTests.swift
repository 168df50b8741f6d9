import NIOCore
import NIOHTTP1
@testable import Proxy
import Testing

/// Which responses coalesce flushes (`responseForwarding.flushInterval`), as Go's ReverseProxy
/// decides in Traefik.
@Suite struct FlushIntervalTests {
    private func head(_ headers: [(String, String)]) -> HTTPResponseHead {
        HTTPResponseHead(version: .http1_1, status: .ok, headers: HTTPHeaders(headers))
    }

    @Test("known length coalesces; unknown length, server-sent events and -1 flush after every read")
    func rule() {
        let interval = TimeAmount.milliseconds(100)
        #expect(HTTPProxyHandler.flushInterval(interval, head: head([("Content-Length", "10")])) == interval)
        #expect(HTTPProxyHandler.flushInterval(interval, head: head([("Content-Length", "10"), ("Content-Type", "text/html")])) == interval)
        #expect(HTTPProxyHandler.flushInterval(interval, head: head([("Transfer-Encoding", "chunked")])) == nil)
        #expect(HTTPProxyHandler.flushInterval(interval, head: head([("Content-Length", "10"), ("Content-Type", "text/event-stream")])) == nil)
        #expect(HTTPProxyHandler.flushInterval(nil, head: head([("Content-Length", "10")])) == nil)
    }

    @Test("text/event-stream is recognised with any case, spaces and parameters", arguments: [
        ("text/event-stream", true), ("Text/Event-Stream; charset=utf-8", true), ("  text/event-stream ", true),
        ("text/event-streams", false), ("text/event", false), ("text/html", false), ("", false),
    ])
    func eventStream(value: String, expected: Bool) {
        #expect(HTTPProxyHandler.isEventStream(value) == expected)
    }
}
