import Foundation
import SwiftASN1
import Testing
import X509
@testable import ACME

@Suite struct KeyChangeTests {
    @Test(arguments: [ACMEPrivateKey.KeyType.ec256, .rsa2048])
    func rolloverRequestShape(newType: ACMEPrivateKey.KeyType) async throws {
        let ca = try MockCA()
        let oldKey = try ACMEPrivateKey.generate(.ec256)
        let newKey = try ACMEPrivateKey.generate(newType)
        let client = try makeClient(ca, key: oldKey)
        let account = try await client.createAccount()
        try await client.changeAccountKey(to: newKey)

        let outer = try #require(ca.posts(to: "/key-change").first?.jws)
        #expect(outer.kid == account.url)
        #expect(outer.alg == "ES256")
        #expect(outer.jwk == nil)
        let innerObject = try #require(try outer.payloadObject())
        let inner = try DecodedJWS(body: try JSONSerialization.data(withJSONObject: innerObject))
        #expect(inner.alg == newKey.jwsAlgorithm)
        #expect(inner.nonce == nil)
        #expect(inner.kid == nil)
        #expect(inner.url == MockCA.base + "/key-change")
        let newJWK = try #require(inner.jwk)
        #expect(try inner.verify(with: newJWK))
        let payload = try #require(try inner.payloadObject())
        #expect(payload["account"] as? String == account.url)
        let oldJWK = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(oldKey.jwk)) as? [String: String]
        #expect(payload["oldKey"] as? [String: String] == oldJWK)

        // The CA now knows the new key; the next request is signed with it and accepted.
        #expect(await client.accountKey.thumbprint == newKey.thumbprint)
        #expect(ca.accountKey(account.url) == newJWK)
        let order = try await client.newOrder(identifiers: [.dns("example.com")])
        #expect(order.status == .pending)
        #expect(ca.posts(to: "/new-order").first?.jws?.alg == newKey.jwsAlgorithm)
        #expect(await client.accountURL == account.url)
    }
}

@Suite struct RevocationTests {
    private func issued(_ ca: MockCA, _ client: ACMEClient, key: ACMEPrivateKey) async throws -> ACMEIssuedCertificate {
        try await client.createAccount()
        return try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: key), solver: RecordingSolver()
        )
    }

    @Test func revocationByAccountKeyUsesKid() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        let certificate = try await issued(ca, client, key: try .generate())
        try await client.revoke(certificate: certificate.leaf, reason: .keyCompromise)

        let post = try #require(ca.posts(to: "/revoke-cert").first)
        #expect(post.status == 200)
        let jws = try #require(post.jws)
        #expect(jws.kid == (await client.accountURL))
        #expect(jws.jwk == nil)
        let payload = try #require(try jws.payloadObject())
        var serializer = DER.Serializer()
        try serializer.serialize(certificate.leaf)
        #expect(payload["certificate"] as? String == DecodedJWS.base64URLEncode(serializer.serializedBytes))
        #expect(payload["reason"] as? Int == 1)
    }

    @Test func revocationByCertificateKeyUsesItsJWK() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        let certificateKey = try ACMEPrivateKey.generate(.ec384)
        let certificate = try await issued(ca, client, key: certificateKey)
        // A client with no account at all can revoke with the certificate's key.
        let stranger = try makeClient(ca)
        try await stranger.revoke(certificate: certificate.leaf, reason: .superseded, certificateKey: certificateKey)

        let jws = try #require(ca.posts(to: "/revoke-cert").first?.jws)
        #expect(jws.kid == nil)
        #expect(jws.alg == "ES384")
        let jwk = try #require(jws.jwk)
        let expected = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(certificateKey.jwk)) as? [String: String]
        #expect(jwk == expected)
        #expect(try jws.verify(with: jwk))
        #expect(try jws.payloadObject()?["reason"] as? Int == 4)
    }

    @Test func reasonIsOmittedWhenNotGiven() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        let certificate = try await issued(ca, client, key: try .generate())
        try await client.revoke(certificate: certificate.leaf)
        let payload = try #require(try ca.posts(to: "/revoke-cert").first?.jws?.payloadObject())
        #expect(payload["reason"] == nil)
        #expect(payload["certificate"] != nil)
    }

    @Test func reasonCodes() {
        #expect(RevocationReason(code: 7) == nil)
        #expect(RevocationReason(code: 11) == nil)
        #expect(RevocationReason(name: "KeyCompromise") == .keyCompromise)
        #expect(RevocationReason.cessationOfOperation.code == 5)
        #expect(RevocationReason.keyCompromise.description == "keyCompromise (1)")
    }
}
