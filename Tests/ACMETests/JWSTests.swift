import Crypto
import Foundation
import Testing
import _CryptoExtras
@testable import ACME

@Suite struct JWSTests {
    @Test func newAccountIsSignedWithES256AndCarriesTheJWK() async throws {
        let ca = try MockCA()
        let p256 = P256.Signing.PrivateKey()
        let client = try makeClient(ca, key: ACMEPrivateKey(p256))
        try await client.createAccount(contact: ["admin@example.com"], termsOfServiceAgreed: true)

        let post = try #require(ca.posts(to: "/new-account").first?.jws)
        #expect(post.alg == "ES256")
        #expect(post.kid == nil)
        #expect(post.url == MockCA.base + "/new-account")
        #expect(post.nonce?.hasPrefix("nonce-") == true)
        let jwk = try #require(post.jwk)
        let raw = p256.publicKey.rawRepresentation
        #expect(jwk == [
            "kty": "EC", "crv": "P-256",
            "x": DecodedJWS.base64URLEncode(raw.prefix(32)), "y": DecodedJWS.base64URLEncode(raw.suffix(32)),
        ])
        // Verified with swift-crypto and the public key itself, not the JWK the client built.
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: post.signature)
        #expect(p256.publicKey.isValidSignature(signature, for: post.signingInput))
        #expect(post.signature.count == 64)
        let payload = try #require(try post.payloadObject())
        #expect(payload["contact"] as? [String] == ["mailto:admin@example.com"])
        #expect(payload["termsOfServiceAgreed"] as? Bool == true)
    }

    @Test func laterRequestsUseTheAccountURLAsKid() async throws {
        let ca = try MockCA()
        let key = try ACMEPrivateKey.generate()
        let client = try makeClient(ca, key: key)
        let account = try await client.createAccount()
        _ = try await client.newOrder(identifiers: [.dns("example.com")])

        let post = try #require(ca.posts(to: "/new-order").first?.jws)
        #expect(post.kid == account.url)
        #expect(post.jwk == nil)
        #expect(post.alg == "ES256")
        #expect(try post.verify(with: try #require(ca.accountKey(account.url))))
        // A different key's signature must not verify: the check can fail.
        let other = try ACMEPrivateKey.generate()
        let otherJWK = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(other.jwk)) as? [String: String]
        #expect(try post.verify(with: try #require(otherJWK)) == false)
    }

    @Test func postAsGetHasAnEmptyPayload() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let order = try await client.newOrder(identifiers: [.dns("example.com")])
        _ = try await client.order(at: order.url)
        let post = try #require(ca.posts(to: "/order/").first?.jws)
        #expect(post.payload.isEmpty)
        #expect(try post.payloadObject() == nil)
    }

    @Test func rs256AccountKeySignsWithPKCS1() async throws {
        let ca = try MockCA()
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let client = try makeClient(ca, key: try ACMEPrivateKey(rsa))
        try await client.createAccount()
        let post = try #require(ca.posts(to: "/new-account").first?.jws)
        #expect(post.alg == "RS256")
        let jwk = try #require(post.jwk)
        #expect(jwk["kty"] == "RSA")
        #expect(jwk["e"] == "AQAB")
        let signature = _RSA.Signing.RSASignature(rawRepresentation: post.signature)
        #expect(rsa.publicKey.isValidSignature(signature, for: post.signingInput, padding: .insecurePKCS1v1_5))
        #expect(post.signature.count == 256)
    }

    @Test func externalAccountBindingIsAnHS256JWSOverTheAccountKey() async throws {
        let ca = try MockCA(options: .init(externalAccountRequired: true))
        let client = try makeClient(ca)
        let macKey: [UInt8] = Array(0..<32)
        let binding = try ExternalAccountBinding(keyID: "kid-123", macKey: DecodedJWS.base64URLEncode(macKey))
        try await client.createAccount(externalAccountBinding: binding)

        let outer = try #require(ca.posts(to: "/new-account").first?.jws)
        let payload = try #require(try outer.payloadObject())
        let innerObject = try #require(payload["externalAccountBinding"] as? [String: Any])
        let inner = try DecodedJWS(body: try JSONSerialization.data(withJSONObject: innerObject))
        #expect(inner.alg == "HS256")
        #expect(inner.kid == "kid-123")
        #expect(inner.url == MockCA.base + "/new-account")
        #expect(inner.nonce == nil)
        #expect(inner.jwk == nil)
        let innerPayload = try JSONSerialization.jsonObject(with: inner.payload) as? [String: String]
        #expect(innerPayload == outer.jwk)
        #expect(inner.verifyHMAC(key: macKey))
        #expect(!inner.verifyHMAC(key: Array(1..<33)))
        #expect(!binding.description.contains(DecodedJWS.base64URLEncode(macKey)))
    }

    @Test func accountCreationIsRefusedWithoutRequiredBinding() async throws {
        let ca = try MockCA(options: .init(externalAccountRequired: true))
        let client = try makeClient(ca)
        let error = try #require(await acmeError { try await client.createAccount() })
        #expect(error.code == .invalidArgument)
        #expect(error.description.contains("external account binding"))
        #expect(ca.posts(to: "/new-account").isEmpty)
    }

    @Test func badBindingKeyIsRefusedWithoutQuotingIt() throws {
        #expect(throws: ACMEError.self) { try ExternalAccountBinding(keyID: "", macKey: "AAAA") }
        do {
            _ = try ExternalAccountBinding(keyID: "k1", macKey: "not*base64")
            Issue.record("a key that is not base64url was accepted")
        } catch let error as ACMEError {
            #expect(error.code == .invalidArgument)
            #expect(!error.description.contains("not*base64"))
        }
    }

    /// RFC 7638 §3.1: the thumbprint of the RFC 7517 example RSA key.
    @Test func thumbprintMatchesRFC7638Example() {
        let jwk = JWK.rsa(
            n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            e: "AQAB"
        )
        #expect(jwk.thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }
}
