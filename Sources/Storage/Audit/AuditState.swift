import Foundation

/// The state of an item before or after an audited change: a JSON object, stored as text in
/// ``AuditEvent/before`` and ``AuditEvent/after``.
///
/// Writers put in what describes the item (a route's backends, a certificate's status and
/// expiry, a DNS credential's provider and variable names), never secrets: no credential
/// values, tokens or keys.
///
/// ```swift
/// let after = AuditState(["status": .string("revoked"), "reason": .int(1)]).json
/// ```
public struct AuditState: Sendable, Hashable, Codable {
    /// The object's members.
    public var fields: [String: JSONValue]

    /// A state with `fields`.
    public init(_ fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// The state stored in `json`; `nil` when it is not the text of a JSON object.
    public init?(json: String) {
        guard let fields = try? JSONDecoder().decode([String: JSONValue].self, from: Data(json.utf8)) else { return nil }
        self.fields = fields
    }

    /// Reads a JSON object.
    public init(from decoder: any Decoder) throws {
        fields = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    /// Writes the JSON object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fields)
    }

    /// The JSON text, members sorted by name.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(fields)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A certificate's state as the audit log records it: `status`, and where known `notAfter`
    /// (RFC 3339), `serial` and `issuer`. Never the key.
    public static func certificate(_ record: CertificateRecord) -> AuditState {
        var fields: [String: JSONValue] = ["status": .string(record.status.rawValue)]
        if let notAfter = record.notAfter { fields["notAfter"] = .string(notAfter.formatted(.iso8601)) }
        if let serial = record.serialNumber { fields["serial"] = .string(serial) }
        if let issuer = record.issuer { fields["issuer"] = .string(issuer) }
        return AuditState(fields)
    }

    /// This state with `fields` added (replacing members of the same name).
    public func adding(_ fields: [String: JSONValue]) -> AuditState {
        AuditState(self.fields.merging(fields) { _, new in new })
    }
}
