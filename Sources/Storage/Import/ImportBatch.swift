/// Records to import once from an outside source (a Traefik acme.json file), written by
/// ``CertificateStorage/importOnce(_:)`` in one atomic step together with the mark that says
/// "this source was imported".
public struct ImportBatch: Hashable, Sendable {
    /// The source file's absolute path; with ``resolver``, the key of the import mark.
    public var sourcePath: String
    /// The resolver whose data is imported.
    public var resolver: String
    /// The account, stored unless an account for the same resolver and directory exists.
    public var account: AccountRecord?
    /// The certificates, each stored unless one for the same resolver and names exists.
    public var certificates: [CertificateRecord]
    /// The node doing the import, for the audit events.
    public var nodeID: String?

    /// A batch.
    public init(
        sourcePath: String,
        resolver: String,
        account: AccountRecord?,
        certificates: [CertificateRecord],
        nodeID: String? = nil
    ) {
        self.sourcePath = sourcePath
        self.resolver = resolver
        self.account = account
        self.certificates = certificates
        self.nodeID = nodeID
    }
}
