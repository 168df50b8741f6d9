/// Where DNS provider credentials stored through the admin API live.
///
/// Values are encrypted at rest (AES-256-GCM through ``SecretBox``), bound to the credential's
/// id, so a sealed value copied into another credential's row does not decrypt there. Listing
/// returns names only; ``credentialEntries(id:)`` is the one call that decrypts.
///
/// The same concurrency rules as ``CertificateStorage`` hold: every call is atomic and may come
/// from any task or process.
public protocol DNSCredentialStore: Sendable {
    /// Stores a credential named `name` for `provider` with `entries` (lego's variable names and
    /// values), recorded as made by `createdBy`.
    ///
    /// - Throws: ``DNSCredentialStoreError`` when the name is unusable or taken.
    func createCredential(name: String, provider: String, entries: [String: String], createdBy: String) async throws -> DNSCredentialRecord

    /// Every stored credential, ordered by name.
    func credentials() async throws -> [DNSCredentialRecord]

    /// The credential whose id or name is `reference`; `nil` when there is none.
    func credential(_ reference: String) async throws -> DNSCredentialRecord?

    /// The decrypted entries of the credential with `id`; `nil` when there is none.
    ///
    /// - Throws: ``StorageError/Code/wrongSecretKey`` when the values cannot be decrypted.
    func credentialEntries(id: String) async throws -> [String: String]?

    /// Deletes the credential with `id` and returns it as it was; `nil` when there is none.
    func deleteCredential(id: String) async throws -> DNSCredentialRecord?

    /// Records the result of a pre-flight run with the credential with `id`.
    func recordCredentialTest(id: String, _ result: DNSCredentialTestResult) async throws
}
