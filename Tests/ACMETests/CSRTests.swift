import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
import _CryptoExtras
@testable import ACME

@Suite struct CSRTests {
    static let identifiers: [ACMEIdentifier] = [.dns("example.com"), .dns("*.example.com"), .ip("192.0.2.7"), .ip("2001:db8::1")]

    @Test(arguments: [
        (ACMEPrivateKey.KeyType.ec256, Certificate.SignatureAlgorithm.ecdsaWithSHA256),
        (.ec384, .ecdsaWithSHA384),
        (.rsa2048, .sha256WithRSAEncryption),
        (.rsa4096, .sha256WithRSAEncryption),
    ])
    func csrCarriesTheNamesAndTheKey(keyType: ACMEPrivateKey.KeyType, algorithm: Certificate.SignatureAlgorithm) throws {
        let key = try ACMEPrivateKey.generate(keyType)
        #expect(key.keyType == keyType)
        let csr = try CertificateSigningRequest(derEncoded: try key.makeCSR(for: Self.identifiers))

        #expect(csr.signatureAlgorithm == algorithm)
        #expect(csr.publicKey.isValidSignature(csr.signature, for: csr))
        #expect(csr.publicKey == key.certificatePrivateKey.publicKey)
        let names = try #require(try csr.attributes.extensionRequest?.extensions.subjectAlternativeNames)
        #expect(Array(names) == [
            .dnsName("example.com"), .dnsName("*.example.com"),
            .ipAddress(ASN1OctetString(contentBytes: [192, 0, 2, 7])),
            .ipAddress(ASN1OctetString(contentBytes: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
        ])
        #expect(ACMECertificateChain.commonName(of: csr.subject) == "example.com")
        switch keyType.description {
        case "EC256": #expect(P256.Signing.PublicKey(csr.publicKey) != nil)
        case "EC384": #expect(P384.Signing.PublicKey(csr.publicKey) != nil)
        default:
            let rsa = try #require(_RSA.Signing.PublicKey(csr.publicKey))
            #expect(rsa.keySizeInBits == (keyType == .rsa4096 ? 4096 : 2048))
        }
    }

    @Test func keyTypeNamesFollowTraefik() {
        #expect(ACMEPrivateKey.KeyType(name: "EC256") == .ec256)
        #expect(ACMEPrivateKey.KeyType(name: "ec384") == .ec384)
        #expect(ACMEPrivateKey.KeyType(name: "RSA4096") == .rsa4096)
        #expect(ACMEPrivateKey.KeyType(name: "RSA1024") == nil)
        #expect(ACMEPrivateKey.KeyType.rsa2048.description == "RSA2048")
    }

    @Test func emptyOrBadIdentifiersAreRefused() throws {
        let key = try ACMEPrivateKey.generate()
        #expect(throws: ACMEError.self) { try key.makeCSR(for: []) }
        #expect(throws: ACMEError.self) { try key.makeCSR(for: [.ip("300.1.1.1")]) }
    }
}
