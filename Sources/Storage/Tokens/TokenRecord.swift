import Foundation

/// A stored admin API token: its name, what it may do, and when it was made and last used.
/// The secret is not part of it: the store keeps only its hash.
public struct TokenRecord: Hashable, Sendable {
    /// The token's unique name, chosen by whoever created it (`ci-deploy`, `alice`).
    public var name: String
    /// The scopes granted, as written at creation (`ingress.read`, `admin`, …), sorted.
    public var scopes: [String]
    /// When the token was created.
    public var createdAt: Date
    /// When the token was last presented and accepted; `nil` if never.
    public var lastUsedAt: Date?

    /// A token record.
    public init(name: String, scopes: [String], createdAt: Date, lastUsedAt: Date? = nil) {
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
