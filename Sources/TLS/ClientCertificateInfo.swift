#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOSSL
import SwiftASN1
import X509

/// What a client certificate says, in the fields Traefik's `passTLSClientCert` middleware can
/// forward: the PEM, subject and issuer (CN, O, OU, C, ST, L, serialNumber, DC), SANs (DNS,
/// email, IP, URI), validity and serial number.
///
/// Built from the peer's chain as NIOSSL reports it (`NIOSSLHandler.peerCertificate`, or the
/// chain a verification callback receives). Holds public data only.
public struct ClientCertificateInfo: Sendable, Hashable {
    /// The attributes of a distinguished name that `passTLSClientCert` forwards; each list in
    /// the certificate's order.
    public struct Name: Sendable, Hashable {
        /// `CN`.
        public var commonName: [String] = []
        /// `O`.
        public var organization: [String] = []
        /// `OU`.
        public var organizationalUnit: [String] = []
        /// `C`.
        public var country: [String] = []
        /// `ST`.
        public var province: [String] = []
        /// `L`.
        public var locality: [String] = []
        /// `serialNumber` (the attribute 2.5.4.5, not the certificate's serial number).
        public var serialNumber: [String] = []
        /// `DC`.
        public var domainComponent: [String] = []

        /// No attribute.
        public init() {}

        init(_ name: DistinguishedName) {
            for relative in name {
                for attribute in relative {
                    guard let value = String(attribute.value) else { continue }
                    switch attribute.type {
                    case ASN1ObjectIdentifier.RDNAttributeType.commonName: self.commonName.append(value)
                    case ASN1ObjectIdentifier.RDNAttributeType.organizationName: self.organization.append(value)
                    case ASN1ObjectIdentifier.RDNAttributeType.organizationalUnitName: self.organizationalUnit.append(value)
                    case ASN1ObjectIdentifier.RDNAttributeType.countryName: self.country.append(value)
                    case ASN1ObjectIdentifier.RDNAttributeType.stateOrProvinceName: self.province.append(value)
                    case ASN1ObjectIdentifier.RDNAttributeType.localityName: self.locality.append(value)
                    case Self.serialNumberAttribute: self.serialNumber.append(value)
                    case ASN1ObjectIdentifier.RDNAttributeType.domainComponent: self.domainComponent.append(value)
                    default: continue
                    }
                }
            }
        }

        private static let serialNumberAttribute: ASN1ObjectIdentifier = [2, 5, 4, 5]
    }

    /// The leaf certificate, PEM-encoded.
    public let pem: String
    /// Every certificate the client sent, leaf first, PEM-encoded.
    public let chainPEM: [String]
    /// The leaf's subject.
    public let subject: Name
    /// The leaf's issuer.
    public let issuer: Name
    /// Subject alternative names of type DNS.
    public let dnsNames: [String]
    /// Subject alternative names of type email (rfc822Name).
    public let emailAddresses: [String]
    /// Subject alternative names of type IP, as text (`192.0.2.1`, `2001:db8::1`).
    public let ipAddresses: [String]
    /// Subject alternative names of type URI.
    public let uris: [String]
    /// Start of validity.
    public let notBefore: Date
    /// End of validity.
    public let notAfter: Date
    /// The certificate's serial number, big-endian, without leading zero bytes.
    public let serialNumber: [UInt8]

    /// The serial number in decimal, as Go prints it (and Traefik forwards it).
    public var serialNumberDecimal: String {
        BigEndianDecimal.string(serialNumber)
    }

    /// The information of `chain[0]` (the client's leaf).
    ///
    /// - Throws: ``ClientCertificateInfoError`` when the chain is empty or the leaf cannot be
    ///   parsed.
    public init(chain: [NIOSSLCertificate]) throws(ClientCertificateInfoError) {
        guard let leaf = chain.first else { throw ClientCertificateInfoError.emptyChain }
        let certificate: Certificate
        var pems: [String] = []
        do {
            certificate = try Certificate(derEncoded: try leaf.toDERBytes())
            for member in chain {
                pems.append(try Certificate(derEncoded: try member.toDERBytes()).serializeAsPEM().pemString)
            }
        } catch {
            throw ClientCertificateInfoError.unparsable("\(error)")
        }
        var dnsNames: [String] = []
        var emails: [String] = []
        var ips: [String] = []
        var uris: [String] = []
        if let names = try? certificate.extensions.subjectAlternativeNames {
            for name in names {
                switch name {
                case .dnsName(let value): dnsNames.append(value)
                case .rfc822Name(let value): emails.append(value)
                case .uniformResourceIdentifier(let value): uris.append(value)
                case .ipAddress(let octets): ips.append(Self.ipText(Array(octets.bytes)))
                default: continue
                }
            }
        }
        self.pem = pems[0]
        self.chainPEM = pems
        self.subject = Name(certificate.subject)
        self.issuer = Name(certificate.issuer)
        self.dnsNames = dnsNames
        self.emailAddresses = emails
        self.ipAddresses = ips
        self.uris = uris
        self.notBefore = certificate.notValidBefore
        self.notAfter = certificate.notValidAfter
        self.serialNumber = Array(certificate.serialNumber.bytes.drop(while: { $0 == 0 }))
    }

    /// Dotted quad for 4 bytes; for 16 bytes, RFC 5952 text (lowercase, longest zero run
    /// compressed); otherwise hex.
    static func ipText(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 {
            return bytes.map(String.init).joined(separator: ".")
        }
        guard bytes.count == 16 else {
            return bytes.map { String($0, radix: 16) }.joined(separator: ":")
        }
        let groups = stride(from: 0, to: 16, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength, end - index >= 2 {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        let text = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return text.joined(separator: ":") }
        let head = text[..<bestStart].joined(separator: ":")
        let tail = text[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
