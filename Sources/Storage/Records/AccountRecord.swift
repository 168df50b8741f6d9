import Foundation

/// An ACME account, one per (resolver, CA directory URL).
///
/// The private key is encrypted at rest and never shown by `description` or `dump`.
public struct AccountRecord: Hashable, Sendable {
    /// The certificate resolver that uses the account.
    public var resolver: String
    /// The CA's directory URL.
    public var directoryURL: String
    /// The contact email, if any.
    public var email: String?
    /// The account URL (the JWS `kid`), once registered.
    public var accountURL: String?
    /// The account private key as PEM bytes. Encrypted at rest.
    public var privateKey: SecretBytes
    /// The key's type, e.g. `EC256`, `RSA4096`.
    public var keyType: String
    /// When the account was created (or imported).
    public var createdAt: Date

    /// An account record.
    public init(
        resolver: String,
        directoryURL: String,
        email: String? = nil,
        accountURL: String? = nil,
        privateKey: SecretBytes,
        keyType: String,
        createdAt: Date = Date()
    ) {
        self.resolver = resolver
        self.directoryURL = directoryURL
        self.email = email
        self.accountURL = accountURL
        self.privateKey = privateKey
        self.keyType = keyType
        self.createdAt = createdAt
    }
}
