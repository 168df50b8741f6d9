import ArgumentParser
import Foundation

/// `gatehouse routes`: the routes monitor of the running gateway (`GET /api/v1/routes`) as a
/// table: host, entry points, service, backends with health, TLS, certificate status, expiry.
struct Routes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every route of the running gateway with its router and provider (file, or api for routes made with expose), its backends' health and its certificate (through the admin API)."
    )

    @OptionGroup var api: AdminAPIOptions

    @Option(name: .long, help: "Only routes for this host.")
    var host: String?

    @Flag(name: .long, help: "Print the API's JSON instead of a table.")
    var json = false

    func run() async throws {
        try await AdminAPIClient.run(api) { client in
            var path = "/api/v1/routes"
            if let host, let encoded = host.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) { path += "?host=\(encoded)" }
            if json {
                print(try await client.callText(.GET, path))
                return
            }
            let rows = try await client.call(.GET, path) as? [[String: Any]] ?? []
            print(Self.table(rows), terminator: "")
        }
    }

    /// One line per route: HOST, ENTRY POINTS, ROUTER (with its provider: `web@file`,
    /// `expose-<host>@api`), PROVIDER, SERVICE, BACKENDS (url health), TLS, CERTIFICATE,
    /// NOT AFTER, DAYS LEFT, ERROR.
    static func table(_ rows: [[String: Any]]) -> String {
        var lines = [["HOST", "ENTRY POINTS", "ROUTER", "PROVIDER", "SERVICE", "BACKENDS", "TLS", "CERTIFICATE", "NOT AFTER", "DAYS LEFT", "ERROR"]]
        for row in rows {
            let hosts = (row["hosts"] as? [String] ?? []) + (row["hostPatterns"] as? [String] ?? [])
            let backends = (row["backends"] as? [[String: Any]] ?? []).map { backend in
                "\(backend["url"] as? String ?? "?") (\(backend["health"] as? String ?? "unknown"))"
            }
            lines.append([
                hosts.isEmpty ? "*" : hosts.joined(separator: ","),
                (row["entryPoints"] as? [String] ?? []).joined(separator: ","),
                row["name"] as? String ?? "-",
                row["provider"] as? String ?? "-",
                row["service"] as? String ?? "-",
                backends.isEmpty ? "-" : backends.joined(separator: ", "),
                row["tls"] as? String ?? "-",
                row["certificateStatus"] as? String ?? "-",
                row["notAfter"] as? String ?? "-",
                (row["daysUntilExpiry"] as? Int).map(String.init) ?? "-",
                row["error"] as? String ?? "",
            ])
        }
        return TextTable.render(lines)
    }
}
