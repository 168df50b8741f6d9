/// Where a managed certificate is in its lifecycle.
///
/// The storage records every change of status in the status history; which transitions are
/// allowed is the certificate manager's business.
public enum CertificateStatus: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Demanded, no order started yet.
    case pending
    /// An order is in flight and nothing valid is stored yet.
    case issuing
    /// A certificate is stored and served.
    case valid
    /// A certificate is stored and served while its successor is being ordered.
    case renewing
    /// Issuance failed; see the record's last error, failure count and next retry time.
    case failed
    /// Revoked; never served again.
    case revoked
    /// The stored certificate's notAfter has passed.
    case expired

    /// Whether a certificate in this status is served (``valid`` and ``renewing``).
    public var isServable: Bool { self == .valid || self == .renewing }

    /// The raw value, e.g. `renewing`.
    public var description: String { rawValue }
}
