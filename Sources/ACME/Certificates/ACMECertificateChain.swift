import Foundation
import SwiftASN1
import X509

/// A certificate chain as the CA served it (`application/pem-certificate-chain`): the leaf
/// first, then the issuers.
public struct ACMECertificateChain: Sendable, Hashable {
    /// The PEM text as served, ready to store and serve.
    public let pem: String
    /// The parsed certificates, leaf first.
    public let certificates: [Certificate]
    /// Each certificate as its own PEM block, leaf first, in the same order as
    /// ``certificates``.
    public let certificatePEMs: [String]
    /// The URL the chain was downloaded from.
    public let url: String

    /// Parses a PEM chain.
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/unexpectedResponse`` when the text
    ///   holds no certificate or one that does not parse.
    public init(pem: String, url: String) throws {
        func refuse(_ message: String, _ underlying: (any Error)? = nil) -> ACMEError {
            ACMEError(code: .unexpectedResponse, step: .downloadCertificate, url: url, message: message, underlying: underlying)
        }
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: pem)
        } catch {
            throw refuse("the certificate chain is not PEM: \(error)", error)
        }
        var certificates: [Certificate] = []
        var blocks: [String] = []
        for document in documents where document.discriminator == "CERTIFICATE" {
            do {
                certificates.append(try Certificate(derEncoded: document.derBytes))
                blocks.append(document.pemString)
            } catch {
                throw refuse("certificate \(certificates.count + 1) of the chain does not parse: \(error)", error)
            }
        }
        guard !certificates.isEmpty else { throw refuse("the response holds no certificate") }
        self.pem = pem
        self.certificates = certificates
        self.certificatePEMs = blocks
        self.url = url
    }

    /// The end-entity certificate.
    public var leaf: Certificate { self.certificates[0] }

    /// The issuers after the leaf, nearest first.
    public var intermediates: ArraySlice<Certificate> { self.certificates.dropFirst() }

    /// The end-entity certificate as PEM.
    public var leafPEM: String { self.certificatePEMs[0] }

    /// The issuers after the leaf as concatenated PEM blocks, nearest first; empty when the
    /// CA sent the leaf alone.
    public var intermediatesPEM: String { self.certificatePEMs.dropFirst().joined(separator: "\n") }

    /// The common name of the issuer of the chain's last certificate: the root this chain
    /// leads to. `preferredChain` is matched against it (as Traefik and lego do).
    public var topIssuerCommonName: String? {
        self.certificates.last.flatMap { Self.commonName(of: $0.issuer) }
    }

    /// The first common name in a distinguished name.
    public static func commonName(of name: DistinguishedName) -> String? {
        for rdn in name {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return attribute.value.description
            }
        }
        return nil
    }

    /// The chain whose top issuer common name is `preferredChain`; the first (default) chain
    /// when none matches or no preference is given. `chains` must not be empty.
    public static func select(from chains: [ACMECertificateChain], preferredChain: String?) -> ACMECertificateChain {
        precondition(!chains.isEmpty, "select(from:) needs at least one chain")
        guard let preferredChain, !preferredChain.isEmpty else { return chains[0] }
        return chains.first { $0.topIssuerCommonName == preferredChain } ?? chains[0]
    }
}
