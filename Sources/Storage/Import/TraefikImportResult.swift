/// What ``CertificateStorage/importTraefikACMEJSON(path:resolver:directoryURL:nodeID:)`` did.
public struct TraefikImportResult: Hashable, Sendable {
    /// How the import went.
    public enum Status: Hashable, Sendable {
        /// The resolver's data was imported now (possibly nothing new, see the other fields).
        case imported
        /// It had been imported before; the file was not read again.
        case alreadyImported
        /// No file at the path (a new installation): nothing to import.
        case fileMissing
        /// The file is empty (Traefik creates empty ones): nothing to import.
        case fileEmpty
        /// The file has no entry for the resolver: nothing imported, not marked imported.
        case resolverMissing
    }

    /// How the import went.
    public var status: Status
    /// Whether the account was stored.
    public var accountStored: Bool
    /// The ids of the certificate records created.
    public var certificateIDs: [String]
    /// Entries left out and why (already stored, no key, no account key); no secrets.
    public var notes: [String]

    /// A result.
    public init(status: Status, accountStored: Bool = false, certificateIDs: [String] = [], notes: [String] = []) {
        self.status = status
        self.accountStored = accountStored
        self.certificateIDs = certificateIDs
        self.notes = notes
    }
}
