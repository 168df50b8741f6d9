import ArgumentParser
import DNSProviders
import Foundation

/// `gatehouse dns-credentials add|list|delete|test`: DNS provider credentials stored in the
/// running gateway (encrypted at rest) through the admin API.
struct DNSCredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns-credentials",
        abstract: "Store, list, delete and test DNS provider credentials in the running gateway (through the admin API; token scope acme.manage).",
        subcommands: [Add.self, List.self, Delete.self, Test.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a credential: lego's variable names (RFC2136_TSIG_SECRET, CF_DNS_API_TOKEN, …) and their values."
        )

        @Argument(help: "The credential's name (what resolvers' credential: names).")
        var name: String

        @Option(name: .long, help: "The DNS provider (rfc2136, cloudflare, …).")
        var provider: String

        @Option(name: .long, help: "A variable read from an env file (NAME=value lines); can repeat.")
        var envFile: [String] = []

        @Option(name: .customLong("from-env"), help: "A variable's name whose value is taken from this process's environment; can repeat.")
        var fromEnvironment: [String] = []

        @Option(name: .long, help: "NAME=VALUE; can repeat. Values given here show in the process list: prefer --env-file or --from-env for secrets.")
        var set: [String] = []

        @OptionGroup var api: AdminAPIOptions

        func entries() throws -> [String: String] {
            var entries: [String: String] = [:]
            for path in envFile {
                let text: String
                do {
                    text = try String(contentsOfFile: path, encoding: .utf8)
                } catch {
                    throw ValidationError("--env-file \(path): cannot read it (\(error.localizedDescription))")
                }
                do {
                    entries.merge(try DNSCredentials.parseEnvironmentFile(text, path: path, provider: provider)) { $1 }
                } catch {
                    throw ValidationError("\(error)")
                }
            }
            for name in fromEnvironment {
                guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                    throw ValidationError("--from-env \(name): the variable is not set in this environment")
                }
                entries[name] = value
            }
            for pair in set {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    throw ValidationError("--set expects NAME=VALUE")
                }
                entries[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            return entries
        }

        func run() async throws {
            let entries = try entries()
            try await AdminAPIClient.run(api) { client in
                let record = try await client.call(.POST, "/api/v1/dns-credentials",
                                                   body: ["name": name, "provider": provider, "entries": entries]) as? [String: Any] ?? [:]
                print("stored \(record["name"] as? String ?? name) (id \(record["id"] as? String ?? "?"), provider \(provider)): "
                      + ((record["variables"] as? [String]) ?? []).joined(separator: ", "))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stored credentials: name, provider, variables set (never values), last test.")

        @OptionGroup var api: AdminAPIOptions

        @Flag(name: .long, help: "Print the API's JSON instead of a table.")
        var json = false

        func run() async throws {
            try await AdminAPIClient.run(api) { client in
                if json {
                    print(try await client.callText(.GET, "/api/v1/dns-credentials"))
                    return
                }
                let records = try await client.call(.GET, "/api/v1/dns-credentials") as? [[String: Any]] ?? []
                var rows = [["NAME", "ID", "PROVIDER", "VARIABLES", "CREATED", "BY", "LAST TEST"]]
                for record in records {
                    var lastTest = "-"
                    if let test = record["lastTest"] as? [String: Any] {
                        let domain = test["domain"] as? String ?? "?"
                        lastTest = test["succeeded"] as? Bool == true
                            ? "passed for \(domain)"
                            : "failed at \(test["failedStep"] as? String ?? "?") (\(test["failureKind"] as? String ?? "?")) for \(domain)"
                    }
                    rows.append([
                        record["name"] as? String ?? "?", record["id"] as? String ?? "?", record["provider"] as? String ?? "?",
                        (record["variables"] as? [String] ?? []).joined(separator: ","), record["createdAt"] as? String ?? "-",
                        record["createdBy"] as? String ?? "-", lastTest,
                    ])
                }
                print(TextTable.render(rows), terminator: "")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a stored credential.")

        @Argument(help: "The credential's name or id.")
        var credential: String

        @OptionGroup var api: AdminAPIOptions

        func run() async throws {
            try await AdminAPIClient.run(api) { client in
                let id = try await DNSCredentialsCommand.id(of: credential, client: client)
                _ = try await client.call(.DELETE, "/api/v1/dns-credentials/\(id)")
                print("deleted \(credential) (id \(id))")
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pre-flight a stored credential: present and remove a probe TXT record at _acme-challenge.DOMAIN; exits 1 when a step fails."
        )

        @Argument(help: "The credential's name or id.")
        var credential: String

        @Argument(help: "The domain to make the probe record for.")
        var domain: String

        @OptionGroup var api: AdminAPIOptions

        @Flag(name: .long, help: "Print the API's JSON report.")
        var json = false

        func run() async throws {
            var passed = false
            try await AdminAPIClient.run(api) { client in
                let id = try await DNSCredentialsCommand.id(of: credential, client: client)
                let report = try await client.call(.POST, "/api/v1/dns-credentials/\(id)/test", body: ["domain": domain]) as? [String: Any] ?? [:]
                passed = report["succeeded"] as? Bool == true
                if json {
                    let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                    print(String(decoding: data, as: UTF8.self))
                    return
                }
                for step in report["steps"] as? [[String: Any]] ?? [] {
                    var line = "\(step["name"] as? String ?? "?"): \(step["status"] as? String ?? "?")"
                    if let kind = step["failureKind"] as? String { line += " (\(kind))" }
                    if let detail = step["detail"] as? String { line += ": \(detail)" }
                    print(line)
                }
                if passed {
                    print("\(credential): passed for \(report["domain"] as? String ?? domain)")
                } else {
                    print("\(credential): failed at \(report["failedStep"] as? String ?? "?"): \(report["failureKind"] as? String ?? "?")")
                }
            }
            if !passed { throw ExitCode(1) }
        }
    }

    /// The id of the credential named or identified by `reference`.
    static func id(of reference: String, client: AdminAPIClient) async throws -> String {
        let records = try await client.call(.GET, "/api/v1/dns-credentials") as? [[String: Any]] ?? []
        if let match = records.first(where: { $0["id"] as? String == reference || $0["name"] as? String == reference }),
           let id = match["id"] as? String {
            return id
        }
        throw AdminAPIClient.Failure(status: 404, message: "no DNS credential named \(reference)", call: "GET /api/v1/dns-credentials")
    }
}
