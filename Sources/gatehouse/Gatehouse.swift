import Admin
import ArgumentParser
import Certificates
import Config
import DNSProviders
import Foundation
import Logging
import NIOCore
import Runtime
import Storage

/// The `gatehouse` command line.
@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "An ingress gateway: routes HTTP(S) to backends and keeps its own TLS certificates.",
        subcommands: [Serve.self, CheckConfig.self, Certs.self, Token.self, Routes.self, Check.self,
                      Expose.self, Unexpose.self, Changes.self, Audit.self, DNSCredentialsCommand.self, DNSCommand.self, Version.self],
        defaultSubcommand: Serve.self
    )
}

/// The version printed by `gatehouse version`.
let gatehouseVersion = "0.1.0"

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway. Without --config, serves the built-in defaults: entry points web (:80) and websecure (:443)."
    )

    @Option(name: .long, help: "Static configuration file (Traefik v3 format, YAML or TOML).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Directory for certificates, keys and state.")
    var dataDir: String?

    @Option(name: .long, help: "Event loop threads (default: one per core this process may run on, as its CPU affinity allows).")
    var threads: Int?

    func run() async throws {
        let staticConfig: StaticConfiguration
        do {
            staticConfig = try config.map { try ConfigLoader.loadStatic(file: $0) } ?? .builtinDefault
        } catch {
            FileHandle.standardError.write(Data("gatehouse: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let level = Logger.Level(traefikName: staticConfig.log?.effectiveLevel.rawValue ?? "INFO")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "gatehouse")
        let dataDirectory = dataDir ?? Serve.defaultDataDirectory()
        try? FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        logger.info("starting", metadata: [
            "version": "\(gatehouseVersion)", "config": "\(config ?? "built-in defaults")", "dataDir": "\(dataDirectory)",
        ])
        let gateway = Gateway(
            options: .init(configFile: config, dataDirectory: dataDirectory, threads: threads ?? UsableCores.count,
                           storedDNSCredentials: { StorageDNSCredentials(store: $0) }),
            staticConfig: staticConfig,
            logger: logger
        )
        var admin: (server: RunningAdminServer, storage: SQLiteCertificateStorage)?
        if let adminConfig = staticConfig.admin {
            do {
                admin = try await Serve.startAdmin(adminConfig, gateway: gateway, staticConfig: staticConfig,
                                                   dataDirectory: dataDirectory, logger: logger)
            } catch {
                logger.critical("gatehouse stopped", metadata: ["error": "\(error)"])
                throw ExitCode(1)
            }
        }
        do {
            try await gateway.run()
        } catch {
            logger.critical("gatehouse stopped", metadata: ["error": "\(error)"])
            await Serve.stopAdmin(admin)
            throw ExitCode(1)
        }
        await Serve.stopAdmin(admin)
    }

    /// Opens the token store and starts the admin API; it answers from the gateway's snapshot.
    static func startAdmin(
        _ config: AdminConfiguration, gateway: Gateway, staticConfig: StaticConfiguration, dataDirectory: String, logger: Logger
    ) async throws -> (server: RunningAdminServer, storage: SQLiteCertificateStorage) {
        let address = try config.listenAddress
        let storage = try await SQLiteCertificateStorage.open(dataDirectory: dataDirectory, logger: logger)
        do {
            // Revocation needs the resolvers' CA and trusted roots; DNS-01 is never solved here.
            let resolvers = ACMESetup.resolvers(staticConfig, dnsProvider: nil).resolvers
            let operations = CertificateOperations(storage: storage, resolvers: resolvers, logger: logger)
            let certificates = GatewayCertificateControl(operations: operations, storage: storage, gateway: gateway,
                                                         resolvers: resolvers.map(\.name))
            let audit = StorageAuditTrail(storage: storage, nodeID: ProcessInfo.processInfo.hostName)
            let expose = try await Serve.makeExpose(gateway: gateway, staticConfig: staticConfig, storage: storage,
                                                    certificates: certificates, audit: audit, logger: logger)
            let server = AdminServer(address: address, tokens: storage,
                                     runtime: GatewayRuntimeView(gateway: gateway, staticConfig: staticConfig),
                                     certificates: certificates, audit: audit, expose: expose,
                                     dnsCredentials: GatewayDNSCredentialControl(store: storage, preflight: CredentialPreflight()),
                                     logger: logger)
            return (try await server.start(), storage)
        } catch {
            try? await storage.close()
            throw error
        }
    }

    /// Stops the admin API (after the gateway drained) and closes its token store.
    static func stopAdmin(_ admin: (server: RunningAdminServer, storage: SQLiteCertificateStorage)?) async {
        guard let admin else { return }
        await admin.server.stop()
        try? await admin.storage.close()
    }

    /// `/var/lib/gatehouse` for root, else `~/.local/share/gatehouse`.
    static func defaultDataDirectory() -> String {
        if getuid() == 0 { return "/var/lib/gatehouse" }
        return NSHomeDirectory() + "/.local/share/gatehouse"
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a static configuration and the dynamic files it points to."
    )

    @Option(name: .long, help: "Static configuration file.")
    var config: String

    func run() throws {
        let findings = ConfigCheck.run(staticFile: config, dnsProviders: DNSProviderRegistry.names, moreChecks: RuleCheck.issues)
        for finding in findings {
            print(finding)
        }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        if errors > 0 {
            print("\(config): \(errors) error(s), \(warnings) warning(s)")
            throw ExitCode(1)
        }
        print("\(config): ok (\(warnings) warning(s))")
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")
    func run() { print("gatehouse \(gatehouseVersion)") }
}

extension Logger.Level {
    /// Traefik's level names (DEBUG, INFO, WARN, ERROR, FATAL, PANIC), case-insensitive.
    init(traefikName: String) {
        switch traefikName.uppercased() {
        case "TRACE": self = .trace
        case "DEBUG": self = .debug
        case "WARN", "WARNING": self = .warning
        case "ERROR": self = .error
        case "FATAL", "PANIC": self = .critical
        default: self = .info
        }
    }
}
