import Foundation
import Storage

/// Operations, changes and specs in the admin API's shapes.
enum ExposeView {
    /// A request as stored, with the API's field names: the request's fields
    /// (``requestFields(_:)``) plus what the gateway made of them.
    static func spec(_ spec: ExposeSpec) -> JSONValue {
        var fields = requestFields(spec)
        fields["name_proxy"] = .bool(spec.nameProxy)
        fields["certificate_names"] = .strings(spec.certificateNames)
        fields["router"] = .string(spec.itemName)
        return .object(fields)
    }

    /// The fields a request names, with its field names: `hostname`, `protocol`, `backends`,
    /// `tls_passthrough`, `resolver`, `challenge`, `dns_credential` (the stored credential's
    /// id, never its values) and `entry_points`. The audit log records routes this way.
    static func requestFields(_ spec: ExposeSpec) -> [String: JSONValue] {
        [
            "hostname": .string(spec.host), "protocol": .string(spec.scheme), "backends": .strings(spec.backends),
            "tls_passthrough": .bool(spec.tlsPassthrough), "resolver": .optional(spec.resolver), "challenge": .optional(spec.challenge),
            "dns_credential": .optional(spec.dnsCredential), "entry_points": .strings(spec.entryPoints),
        ]
    }

    /// An operation with its steps.
    static func operation(_ operation: OperationRecord) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        fields["id"] = .string(operation.id)
        fields["action"] = .string(operation.action)
        fields["host"] = .string(operation.host)
        fields["status"] = .string(operation.status.rawValue)
        fields["error"] = operation.error.map(JSONValue.string) ?? .null
        fields["requestedBy"] = .string(operation.requestedBy)
        fields["changeID"] = operation.changeID.map(JSONValue.string) ?? .null
        fields["createdAt"] = CertificateView.timestamp(operation.createdAt)
        fields["finishedAt"] = CertificateView.timestamp(operation.finishedAt)
        fields["request"] = operation.spec.map(spec) ?? .null
        fields["steps"] = .array(operation.steps.map(step))
        return .object(fields)
    }

    /// One step: status, timing, detail, error.
    static func step(_ step: OperationRecord.Step) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        fields["name"] = .string(step.name)
        fields["status"] = .string(step.status.rawValue)
        fields["startedAt"] = CertificateView.timestamp(step.startedAt)
        fields["finishedAt"] = CertificateView.timestamp(step.finishedAt)
        if let start = step.startedAt, let end = step.finishedAt {
            fields["durationMilliseconds"] = .int(Int((end.timeIntervalSince(start) * 1000).rounded()))
        } else {
            fields["durationMilliseconds"] = .null
        }
        fields["detail"] = step.detail.map(JSONValue.string) ?? .null
        fields["error"] = step.error.map(JSONValue.string) ?? .null
        return .object(fields)
    }

    /// A change with its plan.
    static func change(_ change: ChangeRecord) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        fields["id"] = .string(change.id)
        fields["action"] = .string(change.action)
        fields["host"] = .string(change.host)
        fields["status"] = .string(change.status.rawValue)
        fields["requestedBy"] = .string(change.requestedBy)
        fields["decidedBy"] = change.decidedBy.map(JSONValue.string) ?? .null
        fields["operationID"] = change.operationID.map(JSONValue.string) ?? .null
        fields["createdAt"] = CertificateView.timestamp(change.createdAt)
        fields["decidedAt"] = CertificateView.timestamp(change.decidedAt)
        fields["request"] = change.spec.map(spec) ?? .null
        fields["plan"] = .array(change.plan.map { item in
            .object([
                "action": .string(item.action), "kind": .string(item.kind), "name": .string(item.name),
                "detail": item.detail.map(JSONValue.string) ?? .null,
            ])
        })
        return .object(fields)
    }
}
