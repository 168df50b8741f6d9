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
        subcommands: [List.self, History.self, Renew.self, Revoke.self]
    )

    /// Options every `certs` command takes.
    struct Location: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
        var dataDir: String?

        @Option(name: .long, help: "Static configuration file (for the resolvers' CA and trusted roots).")
        var config: String?

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
            try await Certs.withOperations(location) { operations in
                let records = try await operations.list()
                print(json ? Self.json(records) : Self.table(records), terminator: "")
            }
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
            let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
            return rows.map { row in
                row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }.joined(separator: "\n") + "\n"
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
            try await Certs.withOperations(target.location) { operations in
                let record = try await operations.revoke(target.name, reason: reason)
                print("revoked \(record.names.joined(separator: ",")) serial \(record.serialNumber ?? "?")")
            }
        }
    }
}
