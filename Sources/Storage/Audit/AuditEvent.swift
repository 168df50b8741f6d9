import Foundation

/// One entry of the append-only audit log: a certificate event, or a change made through the
/// admin API.
///
/// The detail text is for operators and must not contain secrets; the storage refuses an event
/// whose detail, ``before`` or ``after`` contains PEM private key material.
///
/// Who did it: ``actor`` is the name of the admin token that made a change. Events the gateway
/// does on its own (orders, renewals, expiry, imports) have no actor (`nil`): no token name can
/// then be mistaken for the gateway.
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
    /// The name of the admin token that made the change; `nil` for what the gateway does on its
    /// own.
    public var actor: String?
    /// The item the event is about: a certificate id, a host, a change or DNS credential id.
    public var target: String?
    /// How it ended: `succeeded`, `accepted` (started, runs on), `pending`, `refused` or `failed`.
    public var result: String?
    /// The item's state before, as the text of a JSON object (see ``AuditState``); `nil` when
    /// the item did not exist or the state is not known.
    public var before: String?
    /// The item's state after, as the text of a JSON object (see ``AuditState``); `nil` when the
    /// item no longer exists or the state is not known.
    public var after: String?

    /// An event to append.
    public init(
        time: Date = Date(),
        kind: AuditEventKind,
        resolver: String? = nil,
        names: [String] = [],
        certificateID: String? = nil,
        detail: String,
        nodeID: String? = nil,
        actor: String? = nil,
        target: String? = nil,
        result: String? = nil,
        before: String? = nil,
        after: String? = nil
    ) {
        self.sequence = nil
        self.time = time
        self.kind = kind
        self.resolver = resolver
        self.names = names
        self.certificateID = certificateID
        self.detail = detail
        self.nodeID = nodeID
        self.actor = actor
        self.target = target
        self.result = result
        self.before = before
        self.after = after
    }
}
