import Foundation

/// One entry of the append-only audit log of ACME events.
///
/// The detail text is for operators and must not contain secrets; the storage refuses an event
/// whose detail contains PEM private key material.
public struct AuditEvent: Hashable, Sendable {
    /// The position in the log, assigned by the storage when the event is appended (increasing;
    /// `nil` before).
    public var sequence: Int64?
    /// When it happened.
    public var time: Date
    /// What happened.
    public var kind: AuditEventKind
    /// The certificate resolver involved.
    public var resolver: String?
    /// The DNS names involved.
    public var names: [String]
    /// The certificate record involved.
    public var certificateID: String?
    /// What happened, in words (CA responses, reasons; never keys or tokens).
    public var detail: String
    /// The cluster node that did it.
    public var nodeID: String?

    /// An event to append.
    public init(
        time: Date = Date(),
        kind: AuditEventKind,
        resolver: String? = nil,
        names: [String] = [],
        certificateID: String? = nil,
        detail: String,
        nodeID: String? = nil
    ) {
        self.sequence = nil
        self.time = time
        self.kind = kind
        self.resolver = resolver
        self.names = names
        self.certificateID = certificateID
        self.detail = detail
        self.nodeID = nodeID
    }
}
