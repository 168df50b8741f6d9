import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A TLS-ALPN-01 challenge certificate (RFC 8737 §3) with its private key: what a server
/// presents when a handshake offers ALPN `acme-tls/1` with the challenged name as SNI.
///
/// Make one with ``ACMEChallengeAnswer/TLSALPN01/makeChallengeCertificate(privateKey:validity:now:)``.
/// The key is a throwaway, but still a private key: ``description`` does not print it.
public struct ACMEChallengeCertificate: Sendable, CustomStringConvertible, CustomReflectable {
    /// The self-signed certificate: SAN = the identifier, critical id-pe-acmeIdentifier.
    public let certificate: Certificate
    /// The certificate's private key.
    public let privateKey: ACMEPrivateKey

    /// Pairs a certificate with its key.
    public init(certificate: Certificate, privateKey: ACMEPrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// The certificate as DER.
    public func derEncoded() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self.certificate)
        return serializer.serializedBytes
    }

    /// The certificate as PEM (`-----BEGIN CERTIFICATE-----`).
    public func pemEncoded() throws -> String {
        try self.certificate.serializeAsPEM().pemString
    }

    /// The certificate for NIOSSL (`TLSConfiguration.certificateChain`).
    public func nioSSLCertificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: try self.derEncoded(), format: .der)
    }

    /// The private key for NIOSSL (`TLSConfiguration.privateKey`).
    public func nioSSLPrivateKey() throws -> NIOSSLPrivateKey {
        try self.privateKey.nioSSLPrivateKey()
    }

    /// A NIOSSL server configuration that presents this certificate and negotiates only
    /// `acme-tls/1`, as RFC 8737 §3 requires of a challenge response.
    public func nioSSLServerConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try self.nioSSLCertificate())],
            privateKey: .privateKey(try self.nioSSLPrivateKey())
        )
        configuration.applicationProtocols = [ACMEChallengeAnswer.TLSALPN01.alpnProtocol]
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// Subject alternative names and serial; never the key.
    public var description: String {
        "ACMEChallengeCertificate(subject: \(self.certificate.subject), serial: \(self.certificate.serialNumber))"
    }

    /// The certificate and the key's thumbprint; never the key.
    public var customMirror: Mirror {
        Mirror(self, children: ["certificate": self.certificate, "privateKey": self.privateKey])
    }
}
