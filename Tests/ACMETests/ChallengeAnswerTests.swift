import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import Testing
import X509
@testable import ACME

@Suite struct ChallengeAnswerTests {
    static let token = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"

    private func authorization(_ json: String) throws -> ACMEAuthorization {
        try ACMEJSON.decoder().decode(ACMEAuthorization.self, from: Data(json.utf8))
    }

    private func challenges(_ types: [String], wildcard: Bool = false, value: String = "example.com") throws -> ACMEAuthorization {
        let list = types.enumerated().map { index, type in
            #"{"type":"\#(type)","url":"https://ca.test/chall/\#(index)","token":"\#(Self.token)","status":"pending"}"#
        }
        return try authorization(
            #"{"identifier":{"type":"dns","value":"\#(value)"},"status":"pending","challenges":[\#(list.joined(separator: ","))]\#(wildcard ? #","wildcard":true"# : "")}"#
        )
    }

    @Test func keyAuthorizationIsTokenDotThumbprint() throws {
        let key = try ACMEPrivateKey.generate()
        let authorization = try challenges(["http-01"])
        let answer = try ACMEChallengeAnswer.make(
            challenge: authorization.challenges[0], authorization: authorization, accountKeyThumbprint: key.thumbprint
        )
        guard case .http01(let http) = answer else {
            Issue.record("expected HTTP-01, got \(answer)")
            return
        }
        #expect(http.keyAuthorization == "\(Self.token).\(key.thumbprint)")
        #expect(http.path == "/.well-known/acme-challenge/\(Self.token)")
        // The thumbprint is SHA-256 over the RFC 7638 member order.
        guard case .ec(_, let x, let y) = key.jwk else { return }
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        #expect(key.thumbprint == DecodedJWS.base64URLEncode(SHA256.hash(data: Data(canonical.utf8))))
    }

    @Test func dns01RecordNameAndValue() throws {
        let authorization = try challenges(["dns-01"], wildcard: true)
        let answer = try ACMEChallengeAnswer.make(
            challenge: authorization.challenges[0], authorization: authorization, accountKeyThumbprint: "thumb"
        )
        guard case .dns01(let dns) = answer else {
            Issue.record("expected DNS-01, got \(answer)")
            return
        }
        #expect(dns.identifier == .dns("*.example.com"))
        #expect(dns.recordName == "_acme-challenge.example.com")
        let expected = DecodedJWS.base64URLEncode(SHA256.hash(data: Data("\(Self.token).thumb".utf8)))
        #expect(dns.value == expected)
        #expect(dns.value.count == 43)
        #expect(!dns.value.contains("="))
    }

    @Test func tlsALPN01CertificateCarriesTheCriticalDigest() throws {
        let authorization = try challenges(["tls-alpn-01"], value: "alpn.example.com")
        let answer = try ACMEChallengeAnswer.make(
            challenge: authorization.challenges[0], authorization: authorization, accountKeyThumbprint: "thumb"
        )
        guard case .tlsALPN01(let alpn) = answer else {
            Issue.record("expected TLS-ALPN-01, got \(answer)")
            return
        }
        let challenge = try alpn.makeChallengeCertificate()
        let certificate = challenge.certificate
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(certificate.issuer == certificate.subject)
        #expect(Array(try #require(try certificate.extensions.subjectAlternativeNames)) == [.dnsName("alpn.example.com")])

        let oid: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 31]
        let extensionValue = try #require(certificate.extensions[oid: oid])
        #expect(extensionValue.critical)
        let octets = try ASN1OctetString(derEncoded: extensionValue.value)
        let digest = Array(SHA256.hash(data: Data("\(Self.token).thumb".utf8)))
        #expect(Array(octets.bytes) == digest)
        #expect(Array(extensionValue.value) == [0x04, 0x20] + digest)

        // Usable by NIOSSL, and it negotiates acme-tls/1 only.
        let configuration = try challenge.nioSSLServerConfiguration()
        #expect(configuration.applicationProtocols == ["acme-tls/1"])
        _ = try NIOSSLContext(configuration: configuration)
        #expect(!challenge.description.contains("PRIVATE KEY"))
    }

    @Test func wildcardAuthorizationOnlyConsidersDNS01() throws {
        let authorization = try challenges(["http-01", "dns-01", "tls-alpn-01"], wildcard: true)
        let chosen = try ACMEClient.chooseChallenge(
            for: authorization, preference: [.http01, .tlsALPN01, .dns01], solver: RecordingSolver()
        )
        #expect(chosen.type == .dns01)
        #expect(throws: ACMEError.self) {
            try ACMEClient.chooseChallenge(for: authorization, preference: [.http01, .dns01], solver: RecordingSolver(types: [.http01]))
        }
    }

    @Test func preferenceOrderAndSolverAbilityDecide() throws {
        let authorization = try challenges(["http-01", "dns-01", "tls-alpn-01"])
        #expect(try ACMEClient.chooseChallenge(for: authorization, preference: [.tlsALPN01, .http01], solver: RecordingSolver()).type == .tlsALPN01)
        #expect(try ACMEClient.chooseChallenge(
            for: authorization, preference: [.tlsALPN01, .http01], solver: RecordingSolver(types: [.http01])
        ).type == .http01)
        let onlyDNS = try challenges(["dns-01"])
        do {
            _ = try ACMEClient.chooseChallenge(for: onlyDNS, preference: [.http01], solver: RecordingSolver())
            Issue.record("no usable challenge was accepted")
        } catch let error as ACMEError {
            #expect(error.code == .noUsableChallenge)
            #expect(error.description.contains("dns-01"))
        }
    }
}
