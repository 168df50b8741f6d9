/// Why a certificate and key pair could not be loaded.
///
/// The message says what is wrong and where (which certificate in the chain, which kind of key);
/// it never contains key material. New codes may be added without breaking callers, so switch
/// over ``code`` with a `default` case.
public struct CertificateLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case noCertificate
            case invalidCertificate
            case noPrivateKey
            case encryptedPrivateKey
            case invalidPrivateKey
            case unsupportedKeyType
            case keyMismatch
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// The certificate input holds no PEM `CERTIFICATE` block.
        public static let noCertificate = Code(.noCertificate)
        /// A certificate block could not be decoded or parsed.
        public static let invalidCertificate = Code(.invalidCertificate)
        /// The key input holds no private key block.
        public static let noPrivateKey = Code(.noPrivateKey)
        /// The private key is encrypted with a passphrase, which is not supported.
        public static let encryptedPrivateKey = Code(.encryptedPrivateKey)
        /// The private key could not be decoded.
        public static let invalidPrivateKey = Code(.invalidPrivateKey)
        /// The key is neither RSA (2048 bits or more) nor ECDSA P-256/P-384/P-521.
        public static let unsupportedKeyType = Code(.unsupportedKeyType)
        /// The private key does not belong to the leaf (first) certificate.
        public static let keyMismatch = Code(.keyMismatch)

        public var description: String { self.backing.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for people. Never contains key material.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String {
        "CertificateLoadError(\(self.code)): \(self.message)"
    }
}
