import Foundation
import Storage

/// A change made through the admin API, as it goes into the audit log: the token that made it,
/// the action, the target and the result.
///
/// It is stored as an ``Storage/AuditEvent`` of kind `admin.<action>` whose detail starts with
/// `token=<name> result=<result>`, so the log stays one append-only table and the API can show
/// these fields again.
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
    /// `succeeded`, `accepted` (started, runs on) or `failed`.
    var result: String
    /// More words: the reason of a failure, a revocation reason (never secrets).
    var note: String?

    /// The prefix of the kinds of these events.
    static let kindPrefix = "admin."

    /// The audit event for this change.
    var event: AuditEvent {
        var detail = "token=\(token) result=\(result): \(action) \(target)"
        if let note, !note.isEmpty { detail += ": \(note)" }
        return AuditEvent(kind: AuditEventKind(rawValue: Self.kindPrefix + action), resolver: resolver, names: names,
                          certificateID: target, detail: detail)
    }

    /// The token and result recorded in an admin event's detail; `nil` for other events.
    static func parse(_ event: AuditEvent) -> (token: String, result: String)? {
        guard event.kind.rawValue.hasPrefix(kindPrefix) else { return nil }
        let words = event.detail.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0].hasPrefix("token="), words[1].hasPrefix("result=") else { return nil }
        let result = words[1].dropFirst("result=".count)
        return (String(words[0].dropFirst("token=".count)), String(result.hasSuffix(":") ? result.dropLast() : result))
    }

    /// An event in the API's shape: the stored fields, plus `action` (the kind), `target`, and
    /// for admin changes `token` and `result`.
    static func representation(_ event: AuditEvent) -> JSONValue {
        let admin = parse(event)
        let action = event.kind.rawValue.hasPrefix(kindPrefix) ? String(event.kind.rawValue.dropFirst(kindPrefix.count)) : event.kind.rawValue
        var fields: [String: JSONValue] = [:]
        fields["sequence"] = event.sequence.map { JSONValue.int(Int($0)) } ?? .null
        fields["time"] = CertificateView.timestamp(event.time)
        fields["kind"] = .string(event.kind.rawValue)
        fields["action"] = .string(action)
        fields["target"] = (event.certificateID ?? event.names.first).map(JSONValue.string) ?? .null
        fields["names"] = .strings(event.names)
        fields["resolver"] = event.resolver.map(JSONValue.string) ?? .null
        fields["certificateID"] = event.certificateID.map(JSONValue.string) ?? .null
        fields["detail"] = .string(event.detail)
        fields["node"] = event.nodeID.map(JSONValue.string) ?? .null
        fields["token"] = admin.map { JSONValue.string($0.token) } ?? .null
        fields["result"] = admin.map { JSONValue.string($0.result) } ?? .null
        return .object(fields)
    }
}
