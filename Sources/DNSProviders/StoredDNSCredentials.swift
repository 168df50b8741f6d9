/// A DNS credential stored through the admin API (`POST /api/v1/dns-credentials`), as a
/// resolver's `credential:` key names it.
public struct StoredDNSCredential: Sendable {
    /// The credential's id.
    public var id: String
    /// Its name, unique.
    public var name: String
    /// The provider it is for (`cloudflare`, `rfc2136`, …).
    public var provider: String
    /// lego's variable names and the values (decrypted; never logged or returned by the API).
    public var entries: [String: String]

    /// - Parameters: see the properties.
    public init(id: String, name: String, provider: String, entries: [String: String]) {
        self.id = id
        self.name = name
        self.provider = provider
        self.entries = entries
    }
}

/// Where resolvers find stored DNS credentials; the gateway adapts its storage to it.
public protocol StoredDNSCredentials: Sendable {
    /// The credential whose id or name is `reference`, or `nil` when none is stored.
    /// - Throws: when the store cannot be read or the credential cannot be decrypted.
    func credential(_ reference: String) async throws -> StoredDNSCredential?
}
