#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import X509

/// The self-signed certificate served when nothing else fits and no default certificate is
/// configured (Traefik's "TRAEFIK DEFAULT CERT" counterpart).
///
/// It is an ECDSA P-256 certificate with subject `CN=Gatehouse default certificate, O=Gatehouse`
/// and the single DNS name `gatehouse.invalid` (a reserved name no client will ask for), valid
/// from one hour before generation for one year, with a random 20-byte serial number. Its key
/// lives only in memory.
public enum DefaultCertificate {
    /// Subject common name of the generated certificate.
    public static let commonName = "Gatehouse default certificate"
    /// Subject organization of the generated certificate.
    public static let organization = "Gatehouse"
    /// The only subjectAltName of the generated certificate.
    public static let dnsName = "gatehouse.invalid"

    /// One generated certificate per process, made on first use. ``CertificateIndex`` uses it as
    /// the last fallback, so every index built in this process serves the same default.
    public static let shared: ServerCertificate = generate()

    /// Generates a fresh self-signed default certificate with a new key.
    ///
    /// - Parameter now: the generation time; validity is `now - 1h ..< now + 365 days`.
    public static func generate(now: Date = Date()) -> ServerCertificate {
        let key = P256.Signing.PrivateKey()
        let privateKey = Certificate.PrivateKey(key)
        do {
            let name = try DistinguishedName {
                CommonName(commonName)
                OrganizationName(organization)
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName(dnsName)])
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: randomSerialNumber(),
                publicKey: privateKey.publicKey,
                notValidBefore: now.addingTimeInterval(-3600),
                notValidAfter: now.addingTimeInterval(365 * 24 * 3600),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: privateKey
            )
            return try ServerCertificate(certificates: [certificate], privateKey: privateKey, isDefaultGenerated: true)
        } catch {
            // Only fixed, known-good inputs above: failing here means the crypto libraries are broken.
            fatalError("generating the default certificate failed: \(error)")
        }
    }

    /// Exactly 20 random bytes, positive as an ASN.1 INTEGER (top bit clear) and with no leading
    /// zero byte, so the encoded serial is 20 octets as RFC 5280 §4.1.2.2 allows.
    private static func randomSerialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }
}
