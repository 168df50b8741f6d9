import Crypto
import Foundation
import SwiftASN1
import Synchronization
import X509
@testable import ACME

/// The mock CA's issuing hierarchy: one intermediate key under two roots (default chain to
/// "Mock Root X1", alternate chain to "Mock Alt Root X2"), as Let's Encrypt's cross-signs do.
struct MockIssuer: Sendable {
    let intermediateKey: Certificate.PrivateKey
    let intermediateName: DistinguishedName
    let defaultIntermediate: Certificate
    let alternateIntermediate: Certificate
    static let intermediateKeyIdentifier: [UInt8] = Array(0x10...0x23)

    init() throws {
        let intermediateKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName("Mock Intermediate E1") }
        self.intermediateKey = intermediateKey
        self.intermediateName = name
        func intermediate(under rootName: String) throws -> Certificate {
            let rootKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
            let root = try DistinguishedName { CommonName(rootName) }
            return try Certificate(
                version: .v3, serialNumber: .init(), publicKey: intermediateKey.publicKey,
                notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400 * 365),
                issuer: root, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    SubjectKeyIdentifier(keyIdentifier: MockIssuer.intermediateKeyIdentifier[...])
                },
                issuerPrivateKey: rootKey
            )
        }
        self.defaultIntermediate = try intermediate(under: "Mock Root X1")
        self.alternateIntermediate = try intermediate(under: "Mock Alt Root X2")
    }

    /// The two PEM chains for a leaf made from `csr`.
    func issue(csr: CertificateSigningRequest, names: [String]) throws -> (default: String, alternate: String) {
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: csr.publicKey,
            notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(86_400 * 90),
            issuer: self.intermediateName, subject: DistinguishedName(), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(SubjectAlternativeNames(names.map { .dnsName($0) }))
                AuthorityKeyIdentifier(keyIdentifier: MockIssuer.intermediateKeyIdentifier[...])
            },
            issuerPrivateKey: self.intermediateKey
        )
        let leafPEM = try leaf.serializeAsPEM().pemString
        return (
            leafPEM + "\n" + (try self.defaultIntermediate.serializeAsPEM().pemString) + "\n",
            leafPEM + "\n" + (try self.alternateIntermediate.serializeAsPEM().pemString) + "\n"
        )
    }
}
