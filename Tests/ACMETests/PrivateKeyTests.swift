import Crypto
import Foundation
import NIOSSL
import Testing
@testable import ACME

@Suite struct PrivateKeyTests {
    @Test(arguments: [ACMEPrivateKey.KeyType.ec256, .ec384, .rsa2048])
    func pkcs8RoundTrips(type: ACMEPrivateKey.KeyType) throws {
        let key = try ACMEPrivateKey.generate(type)
        let pem = key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let fromPEM = try ACMEPrivateKey(pemRepresentation: pem)
        #expect(fromPEM.thumbprint == key.thumbprint)
        #expect(fromPEM.keyType == type)

        let der = key.derRepresentation
        #expect(der.first == 0x30)
        let fromDER = try ACMEPrivateKey(derRepresentation: der)
        #expect(fromDER.thumbprint == key.thumbprint)
        // The PEM body is the same DER.
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        #expect(Data(base64Encoded: body) == Data(der))

        _ = try key.nioSSLPrivateKey()
        #expect(key.jwsAlgorithm == (type == .ec256 ? "ES256" : type == .ec384 ? "ES384" : "RS256"))
    }

    @Test func sec1DERIsAccepted() throws {
        let p256 = P256.Signing.PrivateKey()
        let sec1 = try ACMEPrivateKey(derRepresentation: sec1DER(p256))
        #expect(sec1.thumbprint == ACMEPrivateKey(p256).thumbprint)
    }

    @Test func descriptionNeverShowsTheKey() throws {
        let key = try ACMEPrivateKey.generate()
        let body = key.pemRepresentation.split(separator: "\n")[1]
        #expect(!key.description.contains(body))
        #expect(key.description.contains(key.thumbprint))
        #expect(key.description.contains("EC256"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains(body))
        #expect(dumped.contains(key.thumbprint))

        let rsa = try ACMEPrivateKey.generate(.rsa2048)
        var rsaDump = ""
        dump(rsa, to: &rsaDump)
        let rsaBody = rsa.pemRepresentation.split(separator: "\n")[2]
        #expect(!rsaDump.contains(rsaBody))
        #expect(!String(reflecting: rsa).contains(rsaBody))
    }

    @Test func bindingDumpHidesTheHMACKey() throws {
        let binding = try ExternalAccountBinding(keyID: "kid-1", macKey: "c2VjcmV0LWhtYWMta2V5")
        var dumped = ""
        dump(binding, to: &dumped)
        #expect(dumped.contains("kid-1"))
        #expect(!dumped.contains("115"))  // no byte of "secret-hmac-key" (s = 115) in decimal
        #expect(!dumped.contains("c2VjcmV0"))
    }

    @Test func garbageIsRefusedWithoutEcho() throws {
        do {
            _ = try ACMEPrivateKey(pemRepresentation: "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n")
            Issue.record("garbage accepted")
        } catch let error as ACMEError {
            #expect(error.code == .invalidArgument)
            #expect(!error.description.contains("c2VjcmV0"))
        }
        #expect(throws: ACMEError.self) { try ACMEPrivateKey(derRepresentation: [0x30, 0x03, 0x02, 0x01, 0x01]) }
    }

    /// SEC1 `ECPrivateKey` DER of a P-256 key, built by hand: version 1, the scalar, the curve.
    private func sec1DER(_ key: P256.Signing.PrivateKey) -> [UInt8] {
        let scalar = Array(key.rawRepresentation)
        let curve: [UInt8] = [0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
        let content: [UInt8] = [0x02, 0x01, 0x01, 0x04, 0x20] + scalar + curve
        return [0x30, UInt8(content.count)] + content
    }
}
