import Foundation

/// The answer to a TLS-ALPN-01 challenge (RFC 8737): the self-signed certificate carrying the
/// acmeIdentifier extension, and its key, for one identifier. Any node can serve it.
public struct TLSALPNChallengeAnswer: Hashable, Sendable {
    /// The identifier being validated (a DNS name, normalized by the storage).
    public var identifier: String
    /// The challenge certificate in PEM.
    public var certificatePEM: String
    /// Its private key (PEM bytes). Encrypted at rest.
    public var privateKey: SecretBytes
    /// When the answer stops being served.
    public var expiresAt: Date

    /// An answer.
    public init(identifier: String, certificatePEM: String, privateKey: SecretBytes, expiresAt: Date) {
        self.identifier = identifier
        self.certificatePEM = certificatePEM
        self.privateKey = privateKey
        self.expiresAt = expiresAt
    }
}
