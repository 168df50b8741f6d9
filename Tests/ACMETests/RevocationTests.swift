import Foundation
import SwiftASN1
import Testing
import X509
@testable import ACME

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
