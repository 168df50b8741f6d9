import ArgumentParser
import Foundation

/// `gatehouse audit`: the running gateway's audit log (`GET /api/v1/audit`) as a table: time,
/// token, action, target, result, what changed (before → after) and the detail.
///
/// The filter by token is `--token-name`: `--token` is the admin API token the command sends.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the audit log of the running gateway: who changed what, before and after, and how it ended (through the admin API)."
    )

    @OptionGroup var api: AdminAPIOptions

    @Option(name: .long, help: "Only events at or after this time (RFC 3339 or Unix seconds).")
    var since: String?

    @Option(name: .long, help: "Only events at or before this time (RFC 3339 or Unix seconds).")
    var until: String?

    @Option(name: .long, help: "Only this action or kind (e.g. expose, certificate.revoke); a trailing * matches a prefix.")
    var action: String?

    @Option(name: .long, help: "Only events about this target (certificate id, host, change or DNS credential id) or name.")
    var target: String?

    @Option(name: .customLong("token-name"), help: "Only changes made by the token of this name (--token is the API token used).")
    var tokenName: String?

    @Option(name: .long, help: "Only events with this result: succeeded, accepted, pending, refused or failed.")
    var result: String?

    @Option(name: .long, help: "At most this many events (the API's default is 100, at most 1000).")
    var limit: Int?

    @Flag(name: .long, help: "Print the API's JSON instead of a table.")
    var json = false

    func run() async throws {
        try await AdminAPIClient.run(api) { client in
            let path = "/api/v1/audit" + query
            if json {
                print(try await client.callText(.GET, path))
                return
            }
            let events = try await client.call(.GET, path) as? [[String: Any]] ?? []
            print(events.isEmpty ? "no audit events\n" : Self.table(events), terminator: "")
        }
    }

    /// The query string of the filters given, `""` when none.
    var query: String {
        let filters: [(String, String?)] = [("since", since), ("until", until), ("action", action), ("target", target),
                                            ("token", tokenName), ("result", result), ("limit", limit.map(String.init))]
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let pairs = filters.compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// One line per event: TIME, TOKEN, ACTION, TARGET, RESULT, CHANGE, DETAIL.
    static func table(_ events: [[String: Any]]) -> String {
        var lines = [["TIME", "TOKEN", "ACTION", "TARGET", "RESULT", "CHANGE", "DETAIL"]]
        for event in events {
            lines.append([
                event["time"] as? String ?? "-",
                event["token"] as? String ?? "-",
                event["action"] as? String ?? "-",
                event["target"] as? String ?? "-",
                event["result"] as? String ?? "-",
                change(before: event["before"] as? [String: Any], after: event["after"] as? [String: Any]),
                event["detail"] as? String ?? "",
            ])
        }
        return TextTable.render(lines)
    }

    /// What differs between two states: `created`, `removed`, or `key: old → new; …`; `-` when
    /// neither is known or nothing differs.
    static func change(before: [String: Any]?, after: [String: Any]?) -> String {
        switch (before, after) {
        case (nil, nil):
            return "-"
        case (nil, let after?):
            return "created (" + describe(after) + ")"
        case (let before?, nil):
            return "removed (" + describe(before) + ")"
        case (let before?, let after?):
            let keys = Set(before.keys).union(after.keys).sorted()
            let changed = keys.compactMap { key -> String? in
                let old = before[key].map(render) ?? "-"
                let new = after[key].map(render) ?? "-"
                return old == new ? nil : "\(key): \(old) → \(new)"
            }
            return changed.isEmpty ? "-" : changed.joined(separator: "; ")
        }
    }

    /// `key=value` pairs of a state, leaving out nulls and plans.
    private static func describe(_ state: [String: Any]) -> String {
        state.keys.sorted().compactMap { key in
            guard let value = state[key], !(value is NSNull), key != "plan" else { return nil }
            return "\(key)=\(render(value))"
        }.joined(separator: " ")
    }

    private static func render(_ value: Any) -> String {
        switch value {
        case is NSNull: return "-"
        case let text as String: return text
        case let array as [Any]: return array.map(render).joined(separator: ",")
        case let number as NSNumber: return number.description
        case let object as [String: Any]: return "{" + describe(object) + "}"
        default: return "\(value)"
        }
    }
}
