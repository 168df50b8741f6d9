/// Where the admin API's bearer tokens live.
///
/// A token is shown once, when it is created, and only its SHA-256 hash is stored: reading the
/// database (or a backup of it) gives no token that the API accepts. Tokens have a unique name,
/// which is how an operator lists and revokes them.
///
/// The same concurrency rules as ``CertificateStorage`` hold: every call is atomic and may come
/// from any task or process (`gatehouse token create` while `gatehouse serve` runs).
public protocol TokenStore: Sendable {
    /// Creates a token named `name` with `scopes` and returns it, with the secret, this once.
    ///
    /// - Throws: ``StorageError/Code/invalidTokenName`` when `name` is empty, longer than 64
    ///   characters or holds characters other than letters, digits, `.`, `_` and `-`;
    ///   ``StorageError/Code/duplicateToken`` when a token with that name exists.
    func createToken(name: String, scopes: [String]) async throws -> IssuedToken

    /// The token whose secret is `secret`, with its last use set to now; `nil` when no stored
    /// token has that secret (unknown, revoked, or not a token at all).
    func authenticate(secret: String) async throws -> TokenRecord?

    /// Every token, ordered by name. Secrets are not stored and so never returned.
    func tokens() async throws -> [TokenRecord]

    /// Deletes the token named `name`: it stops working at once.
    ///
    /// - Throws: ``StorageError/Code/tokenNotFound`` when no token has that name.
    func revokeToken(name: String) async throws
}
