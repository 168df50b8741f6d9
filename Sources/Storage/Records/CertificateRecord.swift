import Foundation

/// Everything the certificate manager keeps about one managed certificate: one record per
/// (resolver, set of names), kept across renewals, so its ``id`` is stable.
///
/// Plain data: the storage does not parse certificates or keys. Dates are stored with
/// millisecond precision. ``names`` are stored normalized (see ``NameSet``), main name first.
/// The private keys (``privateKey`` and ``pendingOrder``'s key) are encrypted at rest and are
/// never shown by `description` or `dump`.
public struct CertificateRecord: Hashable, Sendable {
    /// A stable identifier (a lowercase UUID unless the creator chose one).
    public var id: String
    /// The certificate resolver that manages it.
    public var resolver: String
    /// The DNS names: main name first, then the SANs, order kept.
    public var names: [String]
    /// Where the certificate is in its lifecycle.
    public var status: CertificateStatus
    /// Why it has this status (shown to operators and stored in the status history).
    public var statusReason: String?
    /// The certificate chain in PEM, leaf first.
    public var chainPEM: String?
    /// The leaf's private key (PEM bytes). Encrypted at rest.
    public var privateKey: SecretBytes?
    /// The leaf key's type, e.g. `EC256`, `RSA2048`.
    public var keyType: String?
    /// The leaf's issuer distinguished name (RFC 4514 string form).
    public var issuer: String?
    /// The leaf's serial number: lowercase hex, two digits per byte, no separators.
    public var serialNumber: String?
    /// The leaf's notBefore.
    public var notBefore: Date?
    /// The leaf's notAfter.
    public var notAfter: Date?
    /// The ACME Renewal Information certificate identifier (RFC 9773 §4.1).
    public var ariCertificateID: String?
    /// The renewal window the CA last suggested.
    public var ariWindow: RenewalWindow?
    /// When the manager decided to renew (inside the ARI window, or from the lifetime fraction).
    public var renewalTime: Date?
    /// When to next ask the CA for renewal information or re-check the record.
    public var nextCheckTime: Date?
    /// The ACME profile requested for the certificate.
    public var profile: String?
    /// The one ACME challenge type to answer for this certificate (`http-01`, `tls-alpn-01`,
    /// `dns-01`); `nil` lets the manager use every challenge its resolver solves.
    public var challenge: String?
    /// The name or id of a stored DNS credential whose provider publishes this certificate's
    /// DNS-01 records instead of the resolver's; `nil` uses the resolver's DNS providers.
    public var dnsCredential: String?
    /// The order in flight and the key reserved for it.
    public var pendingOrder: PendingOrder?
    /// Consecutive failed attempts.
    public var failureCount: Int
    /// When to try again after a failure.
    public var nextRetryTime: Date?
    /// The last failure, as text for operators (no secrets).
    public var lastError: String?
    /// Since when no router refers to the certificate; `nil` while one does.
    public var unusedSince: Date?
    /// Where the record came from.
    public var source: CertificateSource
    /// When the record was created.
    public var createdAt: Date
    /// When the record was last written (set by the storage on every write).
    public var updatedAt: Date

    /// A record; everything but the resolver, the names and the status has a default.
    public init(
        id: String = UUID().uuidString.lowercased(),
        resolver: String,
        names: [String],
        status: CertificateStatus,
        statusReason: String? = nil,
        chainPEM: String? = nil,
        privateKey: SecretBytes? = nil,
        keyType: String? = nil,
        issuer: String? = nil,
        serialNumber: String? = nil,
        notBefore: Date? = nil,
        notAfter: Date? = nil,
        ariCertificateID: String? = nil,
        ariWindow: RenewalWindow? = nil,
        renewalTime: Date? = nil,
        nextCheckTime: Date? = nil,
        profile: String? = nil,
        challenge: String? = nil,
        dnsCredential: String? = nil,
        pendingOrder: PendingOrder? = nil,
        failureCount: Int = 0,
        nextRetryTime: Date? = nil,
        lastError: String? = nil,
        unusedSince: Date? = nil,
        source: CertificateSource = .acme,
        createdAt: Date = Date(),
        updatedAt: Date = Date()
    ) {
        self.id = id
        self.resolver = resolver
        self.names = names
        self.status = status
        self.statusReason = statusReason
        self.chainPEM = chainPEM
        self.privateKey = privateKey
        self.keyType = keyType
        self.issuer = issuer
        self.serialNumber = serialNumber
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.ariCertificateID = ariCertificateID
        self.ariWindow = ariWindow
        self.renewalTime = renewalTime
        self.nextCheckTime = nextCheckTime
        self.profile = profile
        self.challenge = challenge
        self.dnsCredential = dnsCredential
        self.pendingOrder = pendingOrder
        self.failureCount = failureCount
        self.nextRetryTime = nextRetryTime
        self.lastError = lastError
        self.unusedSince = unusedSince
        self.source = source
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The main name (the first of ``names``).
    public var mainName: String? { names.first }

    /// Whether a router still refers to the certificate.
    public var isInUse: Bool { unusedSince == nil }
}
