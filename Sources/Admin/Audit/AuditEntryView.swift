import Foundation
import Storage

/// An audit event in the shape `GET /api/v1/audit` answers with: the stored fields, `action`
/// (the kind without the `admin.` prefix), `target`, `token` (the actor), `result`, and `before`
/// and `after` as JSON objects (`null` when absent).
enum AuditEntryView {
    /// The entry for `event`.
    static func entry(_ event: AuditEvent) -> JSONValue {
        let kind = event.kind.rawValue
        let action = kind.hasPrefix(AdminChange.kindPrefix) ? String(kind.dropFirst(AdminChange.kindPrefix.count)) : kind
        var fields: [String: JSONValue] = [:]
        fields["sequence"] = event.sequence.map { JSONValue.int(Int($0)) } ?? .null
        fields["time"] = CertificateView.timestamp(event.time)
        fields["kind"] = .string(kind)
        fields["action"] = .string(action)
        fields["target"] = (event.target ?? event.certificateID ?? event.names.first).map(JSONValue.string) ?? .null
        fields["names"] = .strings(event.names)
        fields["resolver"] = event.resolver.map(JSONValue.string) ?? .null
        fields["certificateID"] = event.certificateID.map(JSONValue.string) ?? .null
        fields["detail"] = .string(event.detail)
        fields["node"] = event.nodeID.map(JSONValue.string) ?? .null
        fields["token"] = event.actor.map(JSONValue.string) ?? .null
        fields["result"] = event.result.map(JSONValue.string) ?? .null
        fields["before"] = state(event.before)
        fields["after"] = state(event.after)
        return .object(fields)
    }

    /// A stored state as a JSON object; `null` when absent.
    private static func state(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        guard let state = AuditState(json: text) else { return .string(text) }
        return .object(state.fields)
    }
}
