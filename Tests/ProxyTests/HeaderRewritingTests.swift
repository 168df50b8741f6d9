import NIOHTTP1
import Testing
@testable import Proxy

@Suite struct HeaderRewritingTests {
    @Test("keep-alive is decided as NIO's isKeepAlive decides it", arguments: [
        ([], HTTPVersion.http1_1), ([], .http1_0), ([("Connection", "close")], .http1_1),
        ([("Connection", "keep-alive")], .http1_0), ([("connection", " Keep-Alive ")], .http1_0),
        ([("Connection", "Upgrade, close")], .http1_1), ([("CONNECTION", "CLOSE")], .http1_1),
        ([("Connection", "x-other")], .http1_0), ([("Connection", "x-other")], .http1_1),
        ([("Keep-Alive", "timeout=5")], .http1_0), ([("Connection", "keep-alive, close")], .http1_1),
    ] as [([(String, String)], HTTPVersion)])
    func keepAlive(fields: [(String, String)], version: HTTPVersion) {
        let head = HTTPRequestHead(version: version, method: .GET, uri: "/", headers: HTTPHeaders(fields))
        #expect(HeaderRewriting.isKeepAlive(head.headers, version: version) == head.isKeepAlive, "\(fields) \(version)")
    }

    @Test func removesHopByHopAndConnectionListedHeaders() {
        var headers = HTTPHeaders([
            ("Host", "a.test"), ("Connection", "keep-alive, X-Secret"), ("X-Secret", "1"), ("Keep-Alive", "timeout=5"),
            ("TE", "trailers"), ("Proxy-Authorization", "Basic x"), ("Accept", "*/*"),
        ])
        let upgrade = HeaderRewriting.removeHopByHop(&headers, keepUpgrade: true)
        #expect(upgrade == nil)
        #expect(headers.map(\.name) == ["Host", "Accept"])
    }

    @Test func connectionTokensAreReadAsCanonicalFormReadsThem() {
        // Spaces and tabs around tokens, empty elements, mixed case, two Connection lines.
        var headers = HTTPHeaders([
            ("Connection", " Keep-Alive ,\tX-One,, "), ("X-One", "1"), ("connection", "x-TWO"), ("X-Two", "2"),
            ("X-Three", "3"), ("Content-Length", "5"),
        ])
        #expect(HeaderRewriting.removeHopByHop(&headers, keepUpgrade: true) == nil)
        #expect(headers.map(\.name) == ["X-Three", "Content-Length"])
    }

    @Test func aResponseWithOnlyConnectionKeepAliveLosesOnlyThat() {
        var headers = HTTPHeaders([
            ("Server", "nginx"), ("Content-Type", "text/plain"), ("Content-Length", "1024"), ("Connection", "keep-alive"),
            ("ETag", "\"x\""),
        ])
        #expect(HeaderRewriting.removeHopByHop(&headers, keepUpgrade: false) == nil)
        #expect(headers.map(\.name) == ["Server", "Content-Type", "Content-Length", "ETag"])
    }

    @Test func everyHopByHopNameIsRemovedInAnyCase() {
        var headers = HTTPHeaders(HeaderRewriting.hopByHop.map { ($0.uppercased(), "x") } + [("Via", "1.1 a")])
        #expect(HeaderRewriting.removeHopByHop(&headers, keepUpgrade: false) == nil)
        #expect(headers.map(\.name) == ["Via"])
    }

    @Test func upgradeIsFoundAmongOtherConnectionTokens() {
        var headers = HTTPHeaders([("Connection", "keep-alive, Upgrade"), ("Upgrade", "websocket"), ("Host", "a")])
        #expect(HeaderRewriting.removeHopByHop(&headers, keepUpgrade: true) == "websocket")
        #expect(headers["connection"] == ["Upgrade"] && headers["upgrade"] == ["websocket"] && headers["host"] == ["a"])
    }

    @Test func keepsUpgradeOnlyWhenAskedFor() {
        var headers = HTTPHeaders([("Connection", "Upgrade"), ("Upgrade", "websocket")])
        #expect(HeaderRewriting.removeHopByHop(&headers, keepUpgrade: true) == "websocket")
        #expect(headers["connection"] == ["Upgrade"] && headers["upgrade"] == ["websocket"])
        var h2 = HTTPHeaders([("Connection", "Upgrade"), ("Upgrade", "websocket")])
        #expect(HeaderRewriting.removeHopByHop(&h2, keepUpgrade: false) == nil)
        #expect(h2.isEmpty)
    }

    @Test func untrustedClientsForwardedHeadersAreReplaced() {
        var headers = HTTPHeaders([
            ("Host", "a.test:8443"), ("X-Forwarded-For", "6.6.6.6"), ("X-Real-Ip", "6.6.6.6"), ("X-Forwarded-Proto", "gopher"),
        ])
        HeaderRewriting.applyForwarded(&headers, trusted: false, clientIP: "127.0.0.1", tls: true, websocket: false,
                                       entryPointPort: 443, serverName: "gw1")
        #expect(headers["x-forwarded-for"] == ["127.0.0.1"])
        #expect(headers["x-real-ip"] == ["127.0.0.1"])
        #expect(headers["x-forwarded-proto"] == ["https"])
        #expect(headers["x-forwarded-host"] == ["a.test:8443"])
        #expect(headers["x-forwarded-port"] == ["8443"])
        #expect(headers["x-forwarded-server"] == ["gw1"])
    }

    @Test func trustedClientsForwardedForIsExtended() {
        var headers = HTTPHeaders([("Host", "a.test"), ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https")])
        HeaderRewriting.applyForwarded(&headers, trusted: true, clientIP: "127.0.0.2", tls: false, websocket: true,
                                       entryPointPort: 80, serverName: "gw1")
        #expect(headers["x-forwarded-for"] == ["203.0.113.9, 127.0.0.2"])
        #expect(headers["x-forwarded-proto"] == ["https"])
        #expect(headers["x-forwarded-port"] == ["80"])
    }

    @Test func websocketProtoIsWsOrWss() {
        var plain = HTTPHeaders([("Host", "a")])
        HeaderRewriting.applyForwarded(&plain, trusted: false, clientIP: "1.2.3.4", tls: false, websocket: true, entryPointPort: 80, serverName: "g")
        #expect(plain["x-forwarded-proto"] == ["ws"])
        var tls = HTTPHeaders([("Host", "a")])
        HeaderRewriting.applyForwarded(&tls, trusted: false, clientIP: "1.2.3.4", tls: true, websocket: true, entryPointPort: 443, serverName: "g")
        #expect(tls["x-forwarded-proto"] == ["wss"])
    }

    @Test(arguments: [("a.test", nil), ("a.test:81", 81), ("[::1]:8443", 8443), ("[::1]", nil), ("::1", nil), ("a.test:x", nil)] as [(String, Int?)])
    func hostPort(host: String, port: Int?) {
        #expect(HeaderRewriting.port(ofHost: host) == port)
    }
}

@Suite struct AccessLogFormatTests {
    let record = AccessLogRecord(
        clientHost: "127.0.0.1", clientPort: 5555, startSeconds: 1_700_000_000, startNanoseconds: 5,
        method: "GET", path: "/x?y=1", proto: "HTTP/1.1", scheme: "https", host: "a.test:8443",
        status: 200, originStatus: 200, downstreamSize: 42, requestSize: 0, referer: "", userAgent: "curl/8",
        routerName: "r@file", serviceName: "s@file", serviceURL: "http://127.0.0.1:9", serviceAddr: "127.0.0.1:9",
        durationNanoseconds: 3_000_000, entryPoint: "websecure"
    )

    @Test func commonLogFormatAsTraefik() {
        #expect(AccessLog.common(record, count: 7)
            == #"127.0.0.1 - - [14/Nov/2023:22:13:20 +0000] "GET /x?y=1 HTTP/1.1" 200 42 "-" "curl/8" 7 "r@file" "http://127.0.0.1:9" 3ms"#)
    }

    @Test func jsonCarriesTraefikFieldNames() throws {
        let line = AccessLog.json(record, count: 1)
        for fragment in [#""DownstreamStatus":200"#, #""RouterName":"r@file""#, #""ServiceName":"s@file""#,
                         #""entryPointName":"websecure""#, #""RequestHost":"a.test""#, #""Duration":3000000"#,
                         #""StartUTC":"2023-11-14T22:13:20.000000005Z""#] {
            #expect(line.contains(fragment), "\(fragment) missing in \(line)")
        }
    }

    @Test func jsonEscapes() {
        #expect(AccessLog.jsonString("a\"b\\c\n\u{1}") == #""a\"b\\c\n\u0001""#)
    }
}
