import Foundation

/// The server's directory (RFC 8555 §7.1.1): where each resource lives, and its metadata.
/// Every URL is optional here so that a CA without, say, `keyChange` can still be used for
/// the rest; an operation that needs a missing one fails with
/// ``ACMEError/Code/unsupportedByServer``.
public struct ACMEDirectory: Sendable, Hashable, Codable {
    /// Where to get a fresh nonce (HEAD).
    public var newNonce: String?
    /// Where to create or find an account.
    public var newAccount: String?
    /// Where to place an order.
    public var newOrder: String?
    /// Where to pre-authorize an identifier (optional; rare).
    public var newAuthz: String?
    /// Where to revoke a certificate.
    public var revokeCert: String?
    /// Where to roll an account key over.
    public var keyChange: String?
    /// ARI (RFC 9773): base URL of renewal information.
    public var renewalInfo: String?
    /// The directory's metadata.
    public var meta: Meta?

    /// The directory's `meta` object.
    public struct Meta: Sendable, Hashable, Codable {
        /// The URL of the CA's terms of service.
        public var termsOfService: String?
        /// The CA's website.
        public var website: String?
        /// The names the CA recognizes in CAA records.
        public var caaIdentities: [String]?
        /// Whether new accounts need an external account binding.
        public var externalAccountRequired: Bool?
        /// ACME profiles (draft-aaron-acme-profiles): profile name → description.
        public var profiles: [String: String]?

        /// Metadata, e.g. for tests.
        public init(
            termsOfService: String? = nil, website: String? = nil, caaIdentities: [String]? = nil,
            externalAccountRequired: Bool? = nil, profiles: [String: String]? = nil
        ) {
            self.termsOfService = termsOfService
            self.website = website
            self.caaIdentities = caaIdentities
            self.externalAccountRequired = externalAccountRequired
            self.profiles = profiles
        }
    }

    /// A directory, e.g. for tests or a stored copy.
    public init(
        newNonce: String? = nil, newAccount: String? = nil, newOrder: String? = nil, newAuthz: String? = nil,
        revokeCert: String? = nil, keyChange: String? = nil, renewalInfo: String? = nil, meta: Meta? = nil
    ) {
        self.newNonce = newNonce
        self.newAccount = newAccount
        self.newOrder = newOrder
        self.newAuthz = newAuthz
        self.revokeCert = revokeCert
        self.keyChange = keyChange
        self.renewalInfo = renewalInfo
        self.meta = meta
    }

    /// `true` when the server offers ARI.
    public var supportsRenewalInfo: Bool { self.renewalInfo != nil }

    /// The profiles the server offers, by name; empty when it offers none.
    public var profiles: [String: String] { self.meta?.profiles ?? [:] }
}
