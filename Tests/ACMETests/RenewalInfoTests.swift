import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
@testable import ACME

/// ARI against recorded CA answers (pebble 2.4 has none), written from RFC 9773: the
/// renewalInfo resource, `suggestedWindow`, `explanationURL`, `Retry-After`, and `replaces` on
/// the new order.
@Suite struct RenewalInfoTests {
    /// A certificate with the authority key identifier and serial of RFC 9773 §4.1's example.
    static func exampleCertificate() throws -> Certificate {
        let issuerKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let leafKey = P256.Signing.PrivateKey()
        let aki: [UInt8] = [
            0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3,
            0x7B, 0x84, 0x7B, 0xA0, 0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4,
        ]
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: [0x00, 0x87, 0x65, 0x43, 0x21]),
            publicKey: .init(leafKey.publicKey),
            notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: try DistinguishedName { CommonName("Example Issuer") }, subject: DistinguishedName(),
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                AuthorityKeyIdentifier(keyIdentifier: aki[...])
                SubjectAlternativeNames([.dnsName("example.com")])
            },
            issuerPrivateKey: issuerKey
        )
        // Through DER and back, as a stored certificate would be.
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return try Certificate(derEncoded: serializer.serializedBytes)
    }

    @Test func certificateIdentifierMatchesRFC9773Example() throws {
        let identifier = try ACMECertificateIdentifier(certificate: try Self.exampleCertificate())
        #expect(identifier.rawValue == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
    }

    @Test func serialWithoutHighBitHasNoLeadingZero() {
        #expect(ACMECertificateIdentifier.derContentBytes(of: .init(bytes: [0x01, 0x02])) == [0x01, 0x02])
        #expect(ACMECertificateIdentifier.derContentBytes(of: .init(bytes: [0x00, 0x00, 0x7F])) == [0x7F])
        #expect(ACMECertificateIdentifier.derContentBytes(of: .init(bytes: [0xFF])) == [0x00, 0xFF])
    }

    @Test func certificateWithoutAKIHasNoIdentifier() throws {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName("self") }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: key.publicKey,
            notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(60),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(), issuerPrivateKey: key
        )
        #expect(throws: ACMEError.self) { try ACMECertificateIdentifier(certificate: certificate) }
    }

    @Test func renewalInfoIsFetchedWithAnUnauthenticatedGET() async throws {
        let ca = try MockCA(options: .init(
            renewalInfo: true,
            renewalInfoBody: #"{"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"},"explanationURL":"https://acme.example.com/docs/ari"}"#,
            renewalInfoRetryAfter: "21600"
        ))
        let client = try makeClient(ca)
        let info = try #require(try await client.renewalInfo(for: try Self.exampleCertificate()))

        let request = try #require(ca.seen.last?.request)
        #expect(request.method == .get)
        #expect(request.url == MockCA.base + "/renewal-info/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
        #expect(request.body == nil)
        #expect(info.suggestedWindow.start == RFC3339.date(from: "2025-01-02T04:00:00Z"))
        #expect(info.suggestedWindow.end == RFC3339.date(from: "2025-01-03T04:00:00Z"))
        #expect(info.explanationURL == "https://acme.example.com/docs/ari")
        #expect(info.retryAfter == .seconds(21600))
        let pick = info.randomRenewalTime()
        #expect(pick >= info.suggestedWindow.start && pick < info.suggestedWindow.end)
    }

    @Test func retryAfterIsKeptWithinSaneLimits() async throws {
        let ca = try MockCA(options: .init(renewalInfo: true, renewalInfoRetryAfter: "5"))
        let info = try #require(try await makeClient(ca).renewalInfo(for: try Self.exampleCertificate()))
        #expect(info.retryAfter == .seconds(60))
        ca.update { $0.renewalInfoRetryAfter = "9999999" }
        let later = try #require(try await makeClient(ca).renewalInfo(for: ACMECertificateIdentifier(rawValue: "a.b")))
        #expect(later.retryAfter == .seconds(86_400))
        ca.update { $0.renewalInfoRetryAfter = nil }
        #expect(try await makeClient(ca).renewalInfo(for: ACMECertificateIdentifier(rawValue: "a.b"))?.retryAfter == nil)
    }

    @Test func noRenewalInfoEndpointMeansNil() async throws {
        let ca = try MockCA(options: .init(renewalInfo: false))
        #expect(try await makeClient(ca).renewalInfo(for: try Self.exampleCertificate()) == nil)
        #expect(ca.seen.allSatisfy { $0.path == "/directory" })
    }

    @Test func windowThatEndsBeforeItStartsIsRefused() async throws {
        let ca = try MockCA(options: .init(
            renewalInfo: true,
            renewalInfoBody: #"{"suggestedWindow":{"start":"2025-01-03T00:00:00Z","end":"2025-01-02T00:00:00Z"}}"#
        ))
        let error = try #require(await acmeError { try await makeClient(ca).renewalInfo(for: ACMECertificateIdentifier(rawValue: "a.b")) })
        #expect(error.code == .unexpectedResponse)
        #expect(error.step == .renewalInfo)
    }

    @Test func replacesIsSentOnTheNewOrder() async throws {
        let ca = try MockCA(options: .init(renewalInfo: true))
        let client = try makeClient(ca)
        try await client.createAccount()
        let old = try ACMECertificateIdentifier(certificate: try Self.exampleCertificate())
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate(), replaces: old),
            solver: RecordingSolver()
        )
        let payload = try #require(try ca.posts(to: "/new-order").first?.jws?.payloadObject())
        #expect(payload["replaces"] as? String == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
        #expect(issued.order.replaces == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
    }

    @Test func replacesIsLeftOutWhenTheCAHasNoARI() async throws {
        let ca = try MockCA(options: .init(renewalInfo: false))
        let client = try makeClient(ca)
        try await client.createAccount()
        _ = try await client.newOrder(identifiers: [.dns("example.com")], replaces: ACMECertificateIdentifier(rawValue: "a.b"))
        let payload = try #require(try ca.posts(to: "/new-order").first?.jws?.payloadObject())
        #expect(payload["replaces"] == nil)
    }
}
