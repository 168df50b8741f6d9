import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import Proxy

/// HTTP-01 answers come before routing, only for pending tokens, only on GET/HEAD.
@Suite struct HTTPChallengeTests {
    struct Tokens: HTTPChallengeResponder {
        let answers: [String: (host: String, keyAuthorization: String)]
        func keyAuthorization(forToken token: String, host: String) -> String? {
            guard let answer = answers[token], answer.host == host else { return nil }
            return answer.keyAuthorization
        }
    }

    /// Sends one request through a proxy handler whose entry point has no routes.
    func respond(method: HTTPMethod = .GET, uri: String, host: String) throws -> (HTTPResponseHead, String) {
        let loop = EmbeddedEventLoop()
        let entryPoint = EntryPointContext(
            name: "web", port: 80, snapshots: SnapshotHolder(), pools: UpstreamPools(group: loop),
            accessLog: nil, logger: Logger(label: "test"), serverName: "test",
            httpChallenges: Tokens(answers: ["tok-EN_1": ("www.example.com", "tok-EN_1.thumbprint")])
        )
        let channel = EmbeddedChannel(loop: loop)
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        try channel.pipeline.syncOperations.addHandler(
            HTTPProxyHandler(entryPoint: entryPoint, isTLS: false, isHTTP2: false, client: ClientInfo(nil), timeouts: nil)
        )
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "Host", value: host)
        try channel.writeInbound(HTTPServerRequestPart.head(head))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        guard case .head(let response) = try channel.readOutbound(as: HTTPServerResponsePart.self),
              case .body(.byteBuffer(let body)) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            throw ResponseMissing()
        }
        return (response, String(buffer: body))
    }

    struct ResponseMissing: Error {}

    @Test("a pending token is answered with its key authorization, Host compared without port or case")
    func pendingToken() throws {
        let (head, body) = try respond(uri: "/.well-known/acme-challenge/tok-EN_1", host: "WWW.Example.com:80")
        #expect(head.status == .ok)
        #expect(body == "tok-EN_1.thumbprint")
        #expect(head.headers.first(name: "content-type")?.hasPrefix("text/plain") == true)
    }

    @Test("unknown tokens, other hosts, other methods and other paths fall through to the routers", arguments: [
        (HTTPMethod.GET, "/.well-known/acme-challenge/other", "www.example.com"),
        (.GET, "/.well-known/acme-challenge/tok-EN_1", "other.example.com"),
        (.POST, "/.well-known/acme-challenge/tok-EN_1", "www.example.com"),
        (.GET, "/.well-known/acme-challenge/tok-EN_1/x", "www.example.com"),
        (.GET, "/.well-known/acme-challenge/", "www.example.com"),
    ])
    func fallsThrough(method: HTTPMethod, uri: String, host: String) throws {
        let (head, _) = try respond(method: method, uri: uri, host: host)
        #expect(head.status == .notFound)
    }

    @Test("a query string after the token is ignored")
    func queryIgnored() throws {
        let (head, body) = try respond(uri: "/.well-known/acme-challenge/tok-EN_1?x=1", host: "www.example.com")
        #expect(head.status == .ok)
        #expect(body == "tok-EN_1.thumbprint")
    }
}
