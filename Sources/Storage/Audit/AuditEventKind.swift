/// What an audit event records. New kinds can be added without breaking callers.
public struct AuditEventKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The stored name of the kind, e.g. `certificate.issued`.
    public let rawValue: String

    /// A kind stored under `rawValue`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// An ACME account was registered (or found) at a CA.
    public static let accountRegistered = AuditEventKind(rawValue: "account.registered")
    /// An ACME account was imported from a Traefik acme.json file.
    public static let accountImported = AuditEventKind(rawValue: "account.imported")
    /// An order was created at the CA.
    public static let orderCreated = AuditEventKind(rawValue: "order.created")
    /// A challenge answer was published (HTTP-01 token, DNS-01 record, TLS-ALPN-01 certificate).
    public static let challengePresented = AuditEventKind(rawValue: "challenge.presented")
    /// The CA validated a challenge.
    public static let challengeValidated = AuditEventKind(rawValue: "challenge.validated")
    /// A challenge failed validation.
    public static let challengeFailed = AuditEventKind(rawValue: "challenge.failed")
    /// A challenge answer was removed.
    public static let challengeCleanedUp = AuditEventKind(rawValue: "challenge.cleaned-up")
    /// A certificate was issued.
    public static let certificateIssued = AuditEventKind(rawValue: "certificate.issued")
    /// A certificate was renewed.
    public static let certificateRenewed = AuditEventKind(rawValue: "certificate.renewed")
    /// An order or renewal failed.
    public static let certificateFailed = AuditEventKind(rawValue: "certificate.failed")
    /// A certificate was revoked.
    public static let certificateRevoked = AuditEventKind(rawValue: "certificate.revoked")
    /// A certificate expired.
    public static let certificateExpired = AuditEventKind(rawValue: "certificate.expired")
    /// A certificate was imported from a Traefik acme.json file.
    public static let certificateImported = AuditEventKind(rawValue: "certificate.imported")
    /// Renewal information (RFC 9773) was fetched.
    public static let renewalInfoFetched = AuditEventKind(rawValue: "renewal-info.fetched")

    /// The raw value.
    public var description: String { rawValue }
}
