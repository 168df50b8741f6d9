import Foundation
import SwiftASN1
import X509

extension ACMEPrivateKey {
    /// A DER-encoded CSR (PKCS#10) for `identifiers`, signed with this key.
    ///
    /// Every identifier becomes a subjectAltName (dNSName or iPAddress); the subject's common
    /// name is the first DNS identifier when it fits the 64-character limit, else empty (CAs
    /// take the names from the SANs). The signature algorithm follows the key: ECDSA with
    /// SHA-256 (P-256) or SHA-384 (P-384), or RSA PKCS#1 v1.5 with SHA-256.
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` for an empty list,
    ///   an IP identifier that is not an address, or an unknown identifier type.
    public func makeCSR(for identifiers: [ACMEIdentifier]) throws -> [UInt8] {
        func refuse(_ message: String) -> ACMEError {
            ACMEError(code: .invalidArgument, step: .finalize, url: nil, message: message)
        }
        guard !identifiers.isEmpty else { throw refuse("a CSR needs at least one identifier") }
        var names: [GeneralName] = []
        for identifier in identifiers {
            switch identifier.type {
            case .dns:
                names.append(.dnsName(identifier.value))
            case .ip:
                guard let bytes = IPAddressBytes.parse(identifier.value) else {
                    throw refuse("\(identifier) is not an IP address")
                }
                names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
            default:
                throw refuse("identifier type \(identifier.type) cannot go into a CSR")
            }
        }
        let commonName = identifiers.first { $0.type == .dns && $0.value.utf8.count <= 64 }?.value
        do {
            let subject = try DistinguishedName {
                if let commonName { CommonName(commonName) }
            }
            let extensions = try Certificate.Extensions { SubjectAlternativeNames(names) }
            let attributes = try CertificateSigningRequest.Attributes([.init(ExtensionRequest(extensions: extensions))])
            let csr = try CertificateSigningRequest(
                version: .v1, subject: subject, privateKey: self.certificatePrivateKey, attributes: attributes,
                signatureAlgorithm: self.certificateSignatureAlgorithm
            )
            var serializer = DER.Serializer()
            try serializer.serialize(csr)
            return serializer.serializedBytes
        } catch {
            throw ACMEError(
                code: .invalidArgument, step: .finalize, url: nil,
                message: "the CSR for \(identifiers.map(\.value).joined(separator: ", ")) cannot be built: \(error)",
                underlying: error
            )
        }
    }
}
