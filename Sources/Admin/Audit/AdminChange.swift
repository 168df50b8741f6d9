import Foundation
import Storage

/// A change made through the admin API, as it goes into the audit log: the token that made it,
/// the action, the target, the item's state before and after, and the result.
///
/// It is stored as an ``Storage/AuditEvent`` of kind `admin.<action>` with the token's name as
/// its actor; the detail is the human sentence (`expose app.example.com: operation …`).
struct AdminChange {
    /// What was done, e.g. `certificate.revoke`.
    var action: String
    /// The name of the token that did it.
    var token: String
    /// The certificate (or other item) changed.
    var target: String
    /// The names involved.
    var names: [String] = []
    /// The resolver involved.
    var resolver: String?
    /// `succeeded`, `accepted` (started, runs on), `pending` (waits for approval), `refused` or
    /// `failed`.
    var result: String
    /// More words: the reason of a failure, a revocation reason (never secrets).
    var note: String?
    /// The certificate changed, when the target is one.
    var certificateID: String?
    /// The item's state before; `nil` when it did not exist.
    var before: AuditState?
    /// The item's state after; `nil` when it no longer exists.
    var after: AuditState?

    /// The prefix of the kinds of these events.
    static let kindPrefix = "admin."

    /// The audit event for this change.
    var event: AuditEvent {
        var detail = "\(action) \(target)"
        if let note, !note.isEmpty { detail += ": \(note)" }
        return AuditEvent(kind: AuditEventKind(rawValue: Self.kindPrefix + action), resolver: resolver, names: names,
                          certificateID: certificateID, detail: detail, actor: token, target: target, result: result,
                          before: before?.json, after: after?.json)
    }
}
