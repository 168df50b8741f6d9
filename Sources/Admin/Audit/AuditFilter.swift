import Foundation
import Storage

/// The filters of `GET /api/v1/audit`, from its query: `since` and `until` (RFC 3339 or Unix
/// seconds), `action` (an event kind such as `certificate.revoked`, or a prefix ending in `*`),
/// `target` (the item's id or host, a certificate id or one of its names), `token` (the name of
/// the token that made the change), `result` (`succeeded`, `accepted`, `pending`, `refused` or
/// `failed`) and `limit` (default 100, at most 1000). Events are listed newest first.
struct AuditFilter {
    /// The default number of events.
    static let defaultLimit = 100
    /// The most events one answer lists.
    static let maxLimit = 1000

    var since: Date?
    var until: Date?
    var action: String?
    var target: String?
    var token: String?
    var result: String?
    var limit = defaultLimit

    /// The results events record.
    static let results = ["succeeded", "accepted", "pending", "refused", "failed"]

    /// A query parameter that cannot be used.
    struct InvalidParameter: Error, CustomStringConvertible {
        /// The parameter's name.
        let name: String
        /// Its value.
        let value: String
        /// What was expected.
        let expected: String

        /// `since: "x" is not a RFC 3339 time or Unix seconds`.
        var description: String { "\(name): \"\(value)\" is not \(expected)" }
    }

    /// The filter `parameters` ask for.
    init(parameters: [String: String]) throws(InvalidParameter) {
        since = try Self.time(parameters["since"], name: "since")
        until = try Self.time(parameters["until"], name: "until")
        action = parameters["action"].flatMap { $0.isEmpty ? nil : $0 }
        target = parameters["target"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if let text = parameters["token"], !text.isEmpty {
            guard TokenSecret.isValidName(text) else {
                throw InvalidParameter(name: "token", value: text, expected: "a token name (1 to 64 letters, digits, \".\", \"_\" or \"-\")")
            }
            token = text
        }
        if let text = parameters["result"], !text.isEmpty {
            guard Self.results.contains(text) else {
                throw InvalidParameter(name: "result", value: text, expected: "one of \(Self.results.joined(separator: ", "))")
            }
            result = text
        }
        if let text = parameters["limit"] {
            guard let value = Int(text), value >= 1, value <= Self.maxLimit else {
                throw InvalidParameter(name: "limit", value: text, expected: "an integer from 1 to \(Self.maxLimit)")
            }
            limit = value
        }
    }

    /// What to ask the storage for (the other filters apply to its answer).
    var storageQuery: AuditQuery {
        AuditQuery(since: since, order: .newestFirst)
    }

    /// Whether `event` passes the filters other than `since` and `limit`.
    func matches(_ event: AuditEvent) -> Bool {
        if let until, event.time > until { return false }
        if let action {
            // The stored kind (`admin.certificate.revoke`) or the action shown (`certificate.revoke`).
            let kind = event.kind.rawValue
            var candidates = [kind]
            if kind.hasPrefix(AdminChange.kindPrefix) { candidates.append(String(kind.dropFirst(AdminChange.kindPrefix.count))) }
            let matched = action.hasSuffix("*")
                ? candidates.contains { $0.hasPrefix(action.dropLast()) }
                : candidates.contains(action)
            if !matched { return false }
        }
        if let target {
            let names = event.names.map { $0.lowercased() }
            if event.certificateID?.lowercased() != target, event.target?.lowercased() != target, !names.contains(target) { return false }
        }
        if let token, event.actor != token { return false }
        if let result, event.result != result { return false }
        return true
    }

    private static func time(_ text: String?, name: String) throws(InvalidParameter) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw InvalidParameter(name: name, value: text, expected: "an RFC 3339 time or Unix seconds")
    }
}
