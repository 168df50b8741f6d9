import NIOHTTP1
import Testing
@testable import Routing

struct RoutingRequestTests {
    @Test(arguments: [
        ("example.com", "example.com"),
        ("Example.COM", "example.com"),
        ("example.com:8080", "example.com"),
        ("example.com.", "example.com"),
        ("example.com.:443", "example.com"),
        ("example.com:", "example.com"),
        ("  example.com \t", "example.com"),
        ("[::1]:443", "::1"),
        ("[::1]", "::1"),
        ("[2001:DB8::1]:8443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("127.0.0.1:80", "127.0.0.1"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.example:443", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("", ""),
        (".", "."),
    ])
    func normalizesHosts(_ raw: String, _ expected: String) {
        #expect(RoutingRequest.normalizeHost(raw[...]) == expected)
    }

    @Test(arguments: [
        ("/plain/path", "/plain/path"),
        ("/a%20b", "/a b"),
        ("/%61dmin", "/admin"),
        ("/a%2Fb", "/a%2Fb"),
        ("/a%2fb", "/a%2Fb"),
        ("/a%3f%3D%25", "/a%3F%3D%25"),
        ("/%C3%BCber", "/über"),
        ("/bad%zz%", "/bad%zz%"),
        ("/trailing%4", "/trailing%4"),
    ])
    func decodesRoutingPaths(_ raw: String, _ expected: String) {
        #expect(RoutingRequest.routingPath(raw[...]) == expected)
    }

    @Test func splitsTheTarget() {
        let plain = RoutingRequest(host: "h", uri: "/p/q")
        #expect(plain.rawPath == "/p/q" && plain.path == "/p/q" && plain.query.isEmpty)

        let query = RoutingRequest(host: "h", uri: "/p%20q?a=1&b=%20#frag")
        #expect(query.rawPath == "/p%20q")
        #expect(query.path == "/p q")
        #expect(query.query == "a=1&b=%20")

        let absolute = RoutingRequest(host: "ignored.example", uri: "http://User@Real.Example:8080/x?y=1")
        #expect(absolute.host == "real.example")
        #expect(absolute.path == "/x")
        #expect(absolute.query == "y=1")

        let bare = RoutingRequest(host: "h", uri: "https://real.example")
        #expect(bare.host == "real.example" && bare.path == "/")

        let connect = RoutingRequest(method: .CONNECT, host: "h", uri: "tunnel.example:443")
        #expect(connect.host == "tunnel.example" && connect.path.isEmpty)

        let asterisk = RoutingRequest(method: .OPTIONS, host: "h", uri: "*")
        #expect(asterisk.path == "*")
    }

    @Test func fromRequestHead() {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "API.Example.com:8443")
        headers.add(name: "X-Env", value: "prod")
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/items?id=7", headers: headers)
        let request = RoutingRequest(head: head, clientIP: IPAddress("10.0.0.9"))
        #expect(request.host == "api.example.com")
        #expect(request.path == "/v1/items")
        #expect(request.query == "id=7")
        #expect(request.method == .POST)
        #expect(request.clientIP == IPAddress("10.0.0.9"))
        #expect(request.headers["x-env"] == ["prod"])

        // Explicit host and path (as the proxy passes them) win over the head's.
        let overridden = RoutingRequest(head: head, host: "other.example", path: "/z?q", clientIP: nil)
        #expect(overridden.host == "other.example" && overridden.path == "/z" && overridden.query == "q")

        // An absolute-form target wins over the Host header.
        let absolute = HTTPRequestHead(version: .http1_1, method: .GET, uri: "http://proxy.example/p", headers: headers)
        #expect(RoutingRequest(head: absolute, clientIP: nil).host == "proxy.example")

        let noHost = HTTPRequestHead(version: .http1_0, method: .GET, uri: "/")
        #expect(RoutingRequest(head: noHost, clientIP: nil).host.isEmpty)
    }

    @Test func tcpInputNormalizesTheServerName() {
        #expect(TCPRoutingInput(serverName: "Bücher.Example.").serverName == "xn--bcher-kva.example")
        #expect(TCPRoutingInput(serverName: nil).serverName.isEmpty)
    }
}
