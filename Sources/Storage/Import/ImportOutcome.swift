/// What ``CertificateStorage/importOnce(_:)`` did.
public struct ImportOutcome: Hashable, Sendable {
    /// `true` when the source had been imported before: nothing was written this time.
    public var alreadyImported: Bool
    /// Whether the batch's account was stored (`false` if there was none or one existed).
    public var accountStored: Bool
    /// The ids of the certificate records stored.
    public var storedCertificateIDs: [String]
    /// The names of certificates not stored because a record for them already existed.
    public var skippedCertificateNames: [[String]]

    /// An outcome.
    public init(
        alreadyImported: Bool,
        accountStored: Bool = false,
        storedCertificateIDs: [String] = [],
        skippedCertificateNames: [[String]] = []
    ) {
        self.alreadyImported = alreadyImported
        self.accountStored = accountStored
        self.storedCertificateIDs = storedCertificateIDs
        self.skippedCertificateNames = skippedCertificateNames
    }
}
