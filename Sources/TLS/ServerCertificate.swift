#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOSSL
import SwiftASN1
import X509

/// A certificate chain and its private key, ready to serve, with the names it covers.
///
/// Build one with ``load(certificatePEM:keyPEM:)`` from PEM files (the usual `certFile` /
/// `keyFile` pair), with ``init(certificates:privateKey:isDefaultGenerated:)`` from
/// swift-certificates values (an internal CA, a challenge certificate), or take
/// ``DefaultCertificate/generate(now:)``. Every way checks that the private key belongs to the
/// leaf certificate.
///
/// Printing a `ServerCertificate` shows its names and validity, never the key.
public struct ServerCertificate: Sendable, CustomStringConvertible {
    /// The chain as served: the leaf first, then any intermediates, in the order given.
    public let chain: [NIOSSLCertificate]
    /// The leaf certificate, parsed.
    public let leaf: Certificate
    /// The leaf's private key.
    public let privateKey: NIOSSLPrivateKey
    /// The DNS names the leaf covers, lowercased, without trailing dots, in certificate order:
    /// the subjectAltName DNS entries, or the subject common name when there are none.
    /// Wildcards are kept as written (`*.example.com`).
    public let names: [String]
    /// `true` for the certificate Gatehouse generates for itself when no default is configured.
    public let isDefaultGenerated: Bool

    /// Start of the leaf's validity period.
    public var notBefore: Date { self.leaf.notValidBefore }
    /// End of the leaf's validity period.
    public var notAfter: Date { self.leaf.notValidAfter }

    /// Wraps swift-certificates values: `certificates` is the chain, leaf first.
    ///
    /// - Throws: ``CertificateLoadError`` when the chain is empty, a certificate cannot be
    ///   serialized, or `privateKey` does not belong to the leaf.
    public init(
        certificates: [Certificate],
        privateKey: Certificate.PrivateKey,
        isDefaultGenerated: Bool = false
    ) throws(CertificateLoadError) {
        guard let leaf = certificates.first else {
            throw CertificateLoadError(.noCertificate, "the certificate chain is empty")
        }
        guard privateKey.publicKey == leaf.publicKey else {
            throw CertificateLoadError(.keyMismatch, "the private key does not match the leaf certificate's public key")
        }
        var chain: [NIOSSLCertificate] = []
        for (index, certificate) in certificates.enumerated() {
            do {
                var serializer = DER.Serializer()
                try serializer.serialize(certificate)
                chain.append(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))
            } catch {
                throw CertificateLoadError(
                    .invalidCertificate,
                    "certificate \(index + 1) of the chain could not be serialized: \(error)"
                )
            }
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(privateKey.serializeAsPEM().pemString.utf8), format: .pem)
        } catch {
            throw CertificateLoadError(.unsupportedKeyType, "the private key cannot be used for TLS")
        }
        self.init(chain: chain, leaf: leaf, privateKey: key, isDefaultGenerated: isDefaultGenerated)
    }

    private init(chain: [NIOSSLCertificate], leaf: Certificate, privateKey: NIOSSLPrivateKey, isDefaultGenerated: Bool) {
        self.chain = chain
        self.leaf = leaf
        self.privateKey = privateKey
        self.names = Self.coveredNames(of: leaf)
        self.isDefaultGenerated = isDefaultGenerated
    }

    /// Loads a PEM certificate chain (leaf first, intermediates after) and its PEM private key.
    ///
    /// Accepted keys: RSA (2048 bits or more) as PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8
    /// (`PRIVATE KEY`); ECDSA P-256, P-384 or P-521 as SEC1 (`EC PRIVATE KEY`, with or without a
    /// leading `EC PARAMETERS` block) or PKCS#8. Encrypted keys are refused. Text around the PEM
    /// blocks (as `openssl` writes in bundles) is ignored. Expired certificates load; choosing
    /// among certificates is ``CertificateIndex``'s job.
    ///
    /// - Throws: ``CertificateLoadError`` saying what is wrong; the message never contains key
    ///   material.
    public static func load(certificatePEM: [UInt8], keyPEM: [UInt8]) throws(CertificateLoadError) -> ServerCertificate {
        let chain = try Self.loadChain(certificatePEM)
        let leaf: Certificate
        do {
            leaf = try Certificate(derEncoded: try chain[0].toDERBytes())
        } catch {
            throw CertificateLoadError(.invalidCertificate, "the leaf (first) certificate could not be parsed: \(error)")
        }
        let key = try Self.loadPrivateKey(keyPEM)
        let publicKey = try Self.publicKey(of: key)
        guard publicKey == leaf.publicKey else {
            throw CertificateLoadError(
                .keyMismatch,
                "the private key does not match the leaf (first) certificate's public key"
                    + " (leaf covers \(Self.coveredNames(of: leaf).joined(separator: ", ")))"
            )
        }
        return ServerCertificate(chain: chain, leaf: leaf, privateKey: key, isDefaultGenerated: false)
    }

    public var description: String {
        "ServerCertificate(names: \(self.names), notAfter: \(self.notAfter)\(self.isDefaultGenerated ? ", generated default" : ""))"
    }

    // MARK: - Loading

    private static func loadChain(_ pem: [UInt8]) throws(CertificateLoadError) -> [NIOSSLCertificate] {
        let text = String(decoding: pem, as: UTF8.self)
        guard text.contains("-----BEGIN CERTIFICATE-----") || text.contains("-----BEGIN TRUSTED CERTIFICATE-----") else {
            if text.contains("PRIVATE KEY-----") {
                throw CertificateLoadError(
                    .noCertificate,
                    "the certificate input holds a private key but no CERTIFICATE block (are certificate and key swapped?)"
                )
            }
            throw CertificateLoadError(.noCertificate, "the certificate input holds no PEM CERTIFICATE block")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(pem)
        } catch {
            throw CertificateLoadError(.invalidCertificate, "a PEM CERTIFICATE block could not be decoded")
        }
        guard !chain.isEmpty else {
            throw CertificateLoadError(.noCertificate, "the certificate input holds no PEM CERTIFICATE block")
        }
        return chain
    }

    private static func loadPrivateKey(_ pem: [UInt8]) throws(CertificateLoadError) -> NIOSSLPrivateKey {
        let text = String(decoding: pem, as: UTF8.self)
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
            throw CertificateLoadError(
                .encryptedPrivateKey,
                "the private key is encrypted with a passphrase; provide it unencrypted (e.g. `openssl pkey -in key.pem -out plain.pem`)"
            )
        }
        guard text.contains("PRIVATE KEY-----") else {
            if text.contains("-----BEGIN CERTIFICATE-----") {
                throw CertificateLoadError(
                    .noPrivateKey,
                    "the key input holds a certificate but no PRIVATE KEY block (are certificate and key swapped?)"
                )
            }
            throw CertificateLoadError(.noPrivateKey, "the key input holds no PEM PRIVATE KEY block")
        }
        do {
            return try NIOSSLPrivateKey(bytes: pem, format: .pem)
        } catch {
            throw CertificateLoadError(
                .invalidPrivateKey,
                "the private key could not be decoded (expected PEM PKCS#1, SEC1 or PKCS#8)"
            )
        }
    }

    /// The public half of `key`, for comparison with the leaf.
    private static func publicKey(of key: NIOSSLPrivateKey) throws(CertificateLoadError) -> Certificate.PublicKey {
        // BoringSSL writes RSA keys as PKCS#1 and EC keys as SEC1 (with the curve named).
        let der: [UInt8]
        do {
            der = try key.derBytes
        } catch {
            throw CertificateLoadError(.unsupportedKeyType, "the private key's type is not supported")
        }
        for type in ["RSA PRIVATE KEY", "EC PRIVATE KEY"] {
            if let parsed = try? Certificate.PrivateKey(pemDocument: PEMDocument(type: type, derBytes: der)) {
                return parsed.publicKey
            }
        }
        throw CertificateLoadError(
            .unsupportedKeyType,
            "the private key is neither RSA (2048 bits or more) nor ECDSA P-256, P-384 or P-521"
        )
    }

    // MARK: - Names

    /// SAN DNS names, else the subject common names; lowercased, trailing dot removed, unique.
    static func coveredNames(of leaf: Certificate) -> [String] {
        var names: [String] = []
        func add(_ raw: String) {
            let name = ServerName.normalize(raw)
            if !name.isEmpty, !names.contains(name) {
                names.append(name)
            }
        }
        if let alternativeNames = try? leaf.extensions.subjectAlternativeNames {
            for case .dnsName(let name) in alternativeNames {
                add(name)
            }
        }
        if names.isEmpty {
            for relativeName in leaf.subject {
                for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                    if let commonName = String(attribute.value) {
                        add(commonName)
                    }
                }
            }
        }
        return names
    }
}
