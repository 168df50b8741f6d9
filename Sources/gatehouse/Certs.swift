import ACME
import ArgumentParser
import Certificates
import Config
import Foundation
import Logging
import Runtime
import Storage

/// `gatehouse certs …`: the stored certificates, and what an operator does to them.
struct Certs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, renew and revoke the certificates Gatehouse obtained.",
        discussion: """
        list, renew and revoke go through the running gateway's admin API when it answers at --admin-address
        (or $GATEHOUSE_ADMIN_ADDRESS, default 127.0.0.1:8081) and a token is given (--token or
        $GATEHOUSE_ADMIN_TOKEN); otherwise, or with --offline, they read and change the data directory
        directly. Which one is used is said on standard error. history always reads the data directory.
        """,
        subcommands: [List.self, History.self, Renew.self, Revoke.self]
    )

    /// Options every `certs` command takes.
    struct Location: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
        var dataDir: String?

        @Option(name: .long, help: "Static configuration file (for the resolvers' CA and trusted roots).")
        var config: String?

        @OptionGroup var api: AdminAPIOptions

        @Flag(name: .long, help: "Read and change the data directory even when the admin API answers.")
        var offline = false

        /// A client for the running gateway's admin API when it answers and a token is given;
        /// `nil` for the offline path. Says on standard error which is used.
        func apiClient() async -> AdminAPIClient? {
            let client = api.client()
            let directory = dataDir ?? Serve.defaultDataDirectory()
            func note(_ text: String) { FileHandle.standardError.write(Data("gatehouse certs: \(text)\n".utf8)) }
            if offline {
                note("offline: using the data directory \(directory)")
                return nil
            }
            guard await client.isReachable() else {
                note("no admin API answers at \(client.address): using the data directory \(directory)")
                return nil
            }
            guard client.token != nil else {
                note("the admin API answers at \(client.address) but no token is given (--token, $GATEHOUSE_ADMIN_TOKEN): using the data directory \(directory)")
                return nil
            }
            note("using the admin API at \(client.address)")
            return client
        }

        func open(logger: Logger) async throws -> (SQLiteCertificateStorage, [ResolverSettings]) {
            var resolvers: [ResolverSettings] = []
            if let config {
                let staticConfig = try ConfigLoader.loadStatic(file: config)
                let (settings, problems) = ACMESetup.resolvers(staticConfig, dnsProvider: nil)
                for problem in problems { FileHandle.standardError.write(Data("warning: \(problem)\n".utf8)) }
                resolvers = settings
            }
            let storage = try await SQLiteCertificateStorage.open(dataDirectory: dataDir ?? Serve.defaultDataDirectory(), logger: logger)
            return (storage, resolvers)
        }
    }

    /// The certificate a command acts on, and where the state is.
    struct Target: ParsableArguments {
        @Argument(help: "A name on the certificate, or its id.")
        var name: String

        @OptionGroup var location: Location
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "gatehouse.certs")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` on the stored state, closing the storage afterwards; errors exit 1 with
    /// their message.
    static func withOperations(_ location: Location, _ body: (CertificateOperations) async throws -> Void) async throws {
        let logger = quietLogger()
        var resolvers: [ResolverSettings] = []
        try await StorageCommand.run("certs", open: {
            let (storage, settings) = try await location.open(logger: logger)
            resolvers = settings
            return storage
        }) { storage in
            try await body(CertificateOperations(storage: storage, resolvers: resolvers, logger: logger))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Names, status, issuer, expiry and days left of every stored certificate.")

        @OptionGroup var location: Location

        @Flag(name: .long, help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            if let client = await location.apiClient() {
                try await AdminAPIClient.run(location.api) { _ in
                    if json {
                        print(try await client.callText(.GET, "/api/v1/certificates"))
                    } else {
                        print(Self.table(try await client.call(.GET, "/api/v1/certificates") as? [[String: Any]] ?? []), terminator: "")
                    }
                }
                return
            }
            try await Certs.withOperations(location) { operations in
                let records = try await operations.list()
                print(json ? Self.json(records) : Self.table(records), terminator: "")
            }
        }

        /// The table from the admin API's certificate list.
        static func table(_ items: [[String: Any]]) -> String {
            var rows = [["NAMES", "STATUS", "ISSUER", "NOT AFTER", "DAYS LEFT", "RESOLVER"]]
            for item in items {
                var status = item["status"] as? String ?? "?"
                if item["inUse"] as? Bool == false { status += " (unused)" }
                rows.append([
                    (item["names"] as? [String] ?? []).joined(separator: ","), status, (item["issuer"] as? String).map(commonName) ?? "-",
                    item["notAfter"] as? String ?? "-", (item["daysUntilExpiry"] as? Int).map(String.init) ?? "-",
                    item["resolver"] as? String ?? "-",
                ])
            }
            return TextTable.render(rows)
        }

        static func daysLeft(_ record: CertificateRecord, now: Date = Date()) -> Int? {
            record.notAfter.map { Int(($0.timeIntervalSince(now) / 86_400).rounded(.down)) }
        }

        static func table(_ records: [CertificateRecord]) -> String {
            let formatter = ISO8601DateFormatter()
            var rows = [["NAMES", "STATUS", "ISSUER", "NOT AFTER", "DAYS LEFT", "RESOLVER"]]
            for record in records {
                var status = record.status.rawValue
                if !record.isInUse { status += " (unused)" }
                rows.append([
                    record.names.joined(separator: ","), status, record.issuer.map(Self.commonName) ?? "-",
                    record.notAfter.map { formatter.string(from: $0) } ?? "-", daysLeft(record).map(String.init) ?? "-", record.resolver,
                ])
            }
            return TextTable.render(rows)
        }

        /// `CN=Pebble Intermediate CA 1,O=…` → `Pebble Intermediate CA 1`.
        static func commonName(_ issuer: String) -> String {
            for part in issuer.split(separator: ",") where part.hasPrefix("CN=") {
                return String(part.dropFirst(3))
            }
            return issuer
        }

        static func json(_ records: [CertificateRecord]) -> String {
            let formatter = ISO8601DateFormatter()
            let objects: [[String: Any]] = records.map { record in
                var object: [String: Any] = [
                    "id": record.id, "resolver": record.resolver, "names": record.names, "status": record.status.rawValue,
                    "inUse": record.isInUse, "source": record.source.rawValue, "failureCount": record.failureCount,
                ]
                object["issuer"] = record.issuer ?? NSNull()
                object["serial"] = record.serialNumber ?? NSNull()
                object["notBefore"] = record.notBefore.map { formatter.string(from: $0) } ?? NSNull()
                object["notAfter"] = record.notAfter.map { formatter.string(from: $0) } ?? NSNull()
                object["renewalTime"] = record.renewalTime.map { formatter.string(from: $0) } ?? NSNull()
                object["daysLeft"] = daysLeft(record) ?? NSNull()
                object["statusReason"] = record.statusReason ?? NSNull()
                object["lastError"] = record.lastError ?? NSNull()
                return object
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A certificate's status transitions (time, from, to, reason) and its audit events."
        )

        @OptionGroup var target: Target

        func run() async throws {
            try await Certs.withOperations(target.location) { operations in
                let (record, transitions, events) = try await operations.history(target.name)
                let formatter = ISO8601DateFormatter()
                print("\(record.names.joined(separator: ",")) (id \(record.id), resolver \(record.resolver)): \(record.status)")
                print("status transitions:")
                for transition in transitions {
                    let from = transition.from.map(\.rawValue) ?? "-"
                    print("  \(formatter.string(from: transition.time))  \(from) -> \(transition.to)  \(transition.reason ?? "")")
                }
                print("audit events:")
                for event in events {
                    print("  \(formatter.string(from: event.time))  \(event.kind)  \(event.detail)")
                }
            }
        }
    }

    struct Renew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Renew a certificate now (the running gateway orders it within seconds; the current one serves meanwhile)."
        )

        @OptionGroup var target: Target

        func run() async throws {
            if let client = await target.location.apiClient() {
                try await AdminAPIClient.run(target.location.api) { _ in
                    let id = try await Certs.id(of: target.name, client: client)
                    let answer = try await client.call(.POST, "/api/v1/certificates/\(id)/renew") as? [String: Any]
                    let names = ((answer?["certificate"] as? [String: Any])?["names"] as? [String] ?? []).joined(separator: ",")
                    print("renewal requested for \(names) (id \(id))")
                }
                return
            }
            try await Certs.withOperations(target.location) { operations in
                let record = try await operations.requestRenewal(target.name)
                print("renewal requested for \(record.names.joined(separator: ",")) (id \(record.id))")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a certificate at its CA and stop serving it (needs --config for the resolver's CA)."
        )

        @OptionGroup var target: Target

        @Option(name: .long, help: "RFC 5280 reason: unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn.")
        var reason: String?

        func validate() throws {
            if let reason, RevocationReason(name: reason) == nil {
                throw ValidationError("unknown revocation reason \"\(reason)\" (--reason)")
            }
        }

        func run() async throws {
            let reason = self.reason.flatMap { RevocationReason(name: $0) }
            if let client = await target.location.apiClient() {
                try await AdminAPIClient.run(target.location.api) { _ in
                    let id = try await Certs.id(of: target.name, client: client)
                    let body: [String: Any]? = reason.map { ["reason": $0.code] }
                    let answer = try await client.call(.POST, "/api/v1/certificates/\(id)/revoke", body: body) as? [String: Any]
                    let certificate = answer?["certificate"] as? [String: Any]
                    let names = (certificate?["names"] as? [String] ?? []).joined(separator: ",")
                    print("revoked \(names) serial \(certificate?["serialNumber"] as? String ?? "?")")
                }
                return
            }
            try await Certs.withOperations(target.location) { operations in
                let record = try await operations.revoke(target.name, reason: reason)
                print("revoked \(record.names.joined(separator: ",")) serial \(record.serialNumber ?? "?")")
            }
        }
    }

    /// The id of the certificate `reference` names (its id, or one of its names) in the admin
    /// API's list; a name on several certificates picks the one in use, else the newest listed.
    static func id(of reference: String, client: AdminAPIClient) async throws -> String {
        let items = try await client.call(.GET, "/api/v1/certificates") as? [[String: Any]] ?? []
        if items.contains(where: { $0["id"] as? String == reference }) { return reference }
        let wanted = reference.lowercased()
        let matching = items.filter { ($0["names"] as? [String] ?? []).contains(wanted) }
        if let chosen = matching.first(where: { $0["inUse"] as? Bool == true }) ?? matching.last, let id = chosen["id"] as? String {
            return id
        }
        throw AdminAPIClient.Failure(status: 404, message: "no certificate has the id or name \(reference)", call: "GET /api/v1/certificates")
    }
}
