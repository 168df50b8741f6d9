import NIOHTTP1
import Testing
@testable import Proxy

/// RFC 9112 §3.2: exactly one Host header on HTTP/1.1, and none that smuggles a path, user info
/// or whitespace.
@Suite struct HostHeaderCheckTests {
    func head(_ hosts: [String], version: HTTPVersion = .http1_1) -> HTTPRequestHead {
        HTTPRequestHead(version: version, method: .GET, uri: "/", headers: HTTPHeaders(hosts.map { ("Host", $0) }))
    }

    @Test("one plain Host is accepted, with or without port; HTTP/1.0 may leave it out")
    func accepted() {
        #expect(HTTPProxyHandler.hostHeaderProblem(head(["a.test"])) == nil)
        #expect(HTTPProxyHandler.hostHeaderProblem(head(["[::1]:8443"])) == nil)
        #expect(HTTPProxyHandler.hostHeaderProblem(head([], version: .http1_0)) == nil)
    }

    @Test("a Host with a space, tab, slash or at sign is refused, combining marks or not",
          arguments: ["a .test", "a\t.test", "a.test/x", "user@a.test", "a\u{20}\u{301}.test"])
    func invalid(host: String) {
        #expect(HTTPProxyHandler.hostHeaderProblem(head([host])) == "invalid Host header")
    }

    @Test("none or two Host headers on HTTP/1.1 are refused")
    func count() {
        #expect(HTTPProxyHandler.hostHeaderProblem(head([])) == "missing Host header")
        #expect(HTTPProxyHandler.hostHeaderProblem(head(["a.test", "b.test"])) == "more than one Host header")
    }
}
