import Foundation

/// One change of a certificate's status, as stored in its status history.
public struct StatusTransition: Hashable, Sendable {
    /// The certificate.
    public var certificateID: String
    /// When the change was stored.
    public var time: Date
    /// The status before; `nil` when the record was created.
    public var from: CertificateStatus?
    /// The status after.
    public var to: CertificateStatus
    /// Why (the record's status reason at the time).
    public var reason: String?

    /// A transition.
    public init(certificateID: String, time: Date, from: CertificateStatus?, to: CertificateStatus, reason: String?) {
        self.certificateID = certificateID
        self.time = time
        self.from = from
        self.to = to
        self.reason = reason
    }
}
