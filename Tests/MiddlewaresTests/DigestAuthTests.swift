import Config
import Testing
@testable import Middlewares

/// digestAuth: htdigest entries, the challenge, RFC 2617's worked example, replay and stale
/// nonces, headerField/removeHeader.
@Suite struct DigestAuthTests {
    // RFC 2617 §3.5: Mufasa / "Circle Of Life" in testrealm@host.com.
    static let mufasa = "Mufasa:testrealm@host.com:939e7578ed9e3c518a452acee763bce9"
    static let nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093"

    private func auth(_ configure: (inout Middleware.DigestAuth) -> Void = { _ in }) throws(MiddlewareConfigurationError) -> DigestAuth {
        var config = Middleware.DigestAuth()
        config.users = [Self.mufasa]
        config.realm = "testrealm@host.com"
        configure(&config)
        return try DigestAuth(config, keyPath: "http.middlewares.digest.digestAuth")
    }

    private func header(nc: String = "00000001", response: String = "6629fae49393a05397450978507c4ef1",
                        uri: String = "/dir/index.html", nonce: String = DigestAuthTests.nonce) -> (String, String) {
        ("Authorization", """
            Digest username="Mufasa", realm="testrealm@host.com", nonce="\(nonce)", uri="\(uri)", \
            qop=auth, nc=\(nc), cnonce="0a4f113b", response="\(response)"
            """)
    }

    @Test("RFC 2617's worked example is accepted once; the same nonce count again is a replay")
    func rfcExample() throws {
        let middleware = try auth { $0.headerField = "X-User"; $0.removeHeader = true }
        middleware.remember(nonce: Self.nonce)
        let (forwarded, answer) = run(middleware, request("/dir/index.html", headers: [header()]))
        #expect(answer == nil)
        #expect(forwarded.header("x-user") == "Mufasa")
        #expect(forwarded.header("authorization") == nil)
        #expect(run(middleware, request("/dir/index.html", headers: [header()])).1?.status.code == 401)
    }

    @Test("no credentials, a wrong digest, another target or an unknown user get a fresh challenge")
    func refused() throws {
        let middleware = try auth()
        middleware.remember(nonce: Self.nonce)
        let cases: [[(String, String)]] = [
            [],
            [header(response: "00000000000000000000000000000000")],
            [("Authorization", "Basic TXVmYXNhOkNpcmNsZSBPZiBMaWZl")],
        ]
        for headers in cases {
            let answer = run(middleware, request("/dir/index.html", headers: headers)).1
            #expect(answer?.status.code == 401)
            let challenge = answer?.headers.first(name: "www-authenticate") ?? ""
            #expect(challenge.hasPrefix("Digest realm=\"testrealm@host.com\", nonce=\""))
            #expect(challenge.contains("qop=\"auth\"") && challenge.contains("algorithm=MD5") && !challenge.contains("stale"))
        }
        // The digest is for /dir/index.html, the request for something else.
        #expect(run(middleware, request("/admin", headers: [header()])).1?.status.code == 401)
    }

    @Test("a nonce this middleware never issued is stale: the client may retry with a new one")
    func staleNonce() throws {
        let middleware = try auth()
        let answer = run(middleware, request("/dir/index.html", headers: [header()])).1
        #expect(answer?.status.code == 401)
        #expect(answer?.headers.first(name: "www-authenticate")?.hasSuffix("stale=true") == true)
    }

    @Test("a client following the challenge passes, counting its requests up")
    func followsChallenge() throws {
        let middleware = try auth { $0.realm = "gatehouse"; $0.users = ["bob:gatehouse:" + DigestAuth.md5Hex("bob:gatehouse:hunter2")] }
        let challenge = run(middleware, request("/x")).1?.headers.first(name: "www-authenticate") ?? ""
        let nonce = try #require(challenge.split(separator: "\"").dropFirst(3).first).description
        for nc in ["00000001", "00000002"] {
            let ha1 = DigestAuth.md5Hex("bob:gatehouse:hunter2")
            let response = DigestAuth.md5Hex("\(ha1):\(nonce):\(nc):abc:auth:" + DigestAuth.md5Hex("GET:/x"))
            let value = "Digest username=\"bob\", realm=\"gatehouse\", nonce=\"\(nonce)\", uri=\"/x\", qop=auth, nc=\(nc), cnonce=\"abc\", response=\"\(response)\""
            #expect(run(middleware, request("/x", headers: [("Authorization", value)])).1 == nil, "nc \(nc)")
        }
    }

    @Test("entries that are not user:realm:md5 and an empty list are errors naming their key")
    func configurationErrors() {
        #expect(throws: MiddlewareConfigurationError.self) { try auth { $0.users = ["Mufasa:939e7578ed9e3c518a452acee763bce9"] } }
        #expect(throws: MiddlewareConfigurationError.self) { try auth { $0.users = ["Mufasa:realm:notahash"] } }
        #expect(throws: MiddlewareConfigurationError.self) { try auth { $0.users = [] } }
        do {
            _ = try auth { $0.users = ["a:b:c"] }
        } catch {
            #expect(error.description.contains("http.middlewares.digest.digestAuth.users[0]"))
            #expect(!error.description.contains(":c"))
        }
    }

    @Test("header parsing: quoted values with commas and escapes, unquoted tokens")
    func parsing() throws {
        let parsed = try #require(DigestCredentials(authorization:
            #"Digest username="a\"b", realm="x, y", nonce="n", uri="/p?q=1,2", response="r", qop=auth, nc=00000001, cnonce="c""#))
        #expect(parsed.username == "a\"b" && parsed.realm == "x, y" && parsed.uri == "/p?q=1,2")
        #expect(parsed.qop == "auth" && parsed.nonceCount == "00000001")
        #expect(DigestCredentials(authorization: #"Digest username="a", realm="x""#) == nil)
        #expect(DigestCredentials(authorization: #"Digest username="a"#) == nil)
    }
}
