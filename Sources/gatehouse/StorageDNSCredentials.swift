import DNSProviders
import Storage

/// Stored DNS credentials as resolvers read them (`credential: NAME`): the gateway's storage,
/// decrypting the values on demand.
struct StorageDNSCredentials: StoredDNSCredentials {
    let store: any DNSCredentialStore

    func credential(_ reference: String) async throws -> StoredDNSCredential? {
        guard let record = try await store.credential(reference), let entries = try await store.credentialEntries(id: record.id) else {
            return nil
        }
        return StoredDNSCredential(id: record.id, name: record.name, provider: record.provider, entries: entries)
    }
}
