import Certificates
import Config
import DNS
import DNSProviders
import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import Proxy
import Storage
import Synchronization
import TLS

/// The running gateway: entry points bound, the dynamic configuration loaded into a snapshot, and
/// graceful shutdown on SIGTERM/SIGINT.
public final class Gateway: Sendable {
    /// How the gateway was started.
    public struct Options: Sendable {
        /// The static configuration file, or `nil` for the built-in defaults.
        public var configFile: String?
        /// Where state lives (certificates, keys, the database of later parts).
        public var dataDirectory: String
        /// Event loop threads; defaults to the number of cores.
        public var threads: Int
        /// Reads DNS credentials stored through the admin API (resolvers' `dnsChallenge.credential`)
        /// from the gateway's storage; `nil`: no stored credential can be named.
        public var storedDNSCredentials: (@Sendable (SQLiteCertificateStorage) -> any StoredDNSCredentials)?

        public init(configFile: String?, dataDirectory: String, threads: Int = UsableCores.count,
                    storedDNSCredentials: (@Sendable (SQLiteCertificateStorage) -> any StoredDNSCredentials)? = nil) {
            self.configFile = configFile
            self.dataDirectory = dataDirectory
            self.threads = threads
            self.storedDNSCredentials = storedDNSCredentials
        }
    }

    private let options: Options
    private let staticConfig: StaticConfiguration
    private let logger: Logger
    private let statusBoard = RuntimeStatusBoard()
    private let certificateManager = Mutex<CertificateManager?>(nil)

    /// What the gateway serves now: the dynamic configuration of the snapshot in use and the
    /// problems that disabled items of it. `nil` until the first configuration is built.
    public var currentStatus: RuntimeStatus? { statusBoard.current }
    /// What the metrics endpoint reads: traffic, servers' health, certificates, reloads.
    public let metrics = GatewayMetrics()
    /// The routes made through the admin API, merged with the file provider's configuration.
    public let apiRoutes: APIRoutesSource

    /// Tells the certificate manager that stored certificates changed (revoked, renewal asked),
    /// so that it acts now rather than at its next pass, about a second later. Does nothing
    /// while no manager runs.
    public func certificatesChanged() async {
        await certificateManager.withLock { $0 }?.reconcileSoon()
    }

    public init(options: Options, staticConfig: StaticConfiguration, logger: Logger) {
        self.options = options
        self.staticConfig = staticConfig
        self.logger = logger
        self.apiRoutes = APIRoutesSource(logger: logger)
    }

    /// Binds every entry point, serves until SIGTERM or SIGINT, then drains within the entry
    /// points' `graceTimeOut` and returns.
    public func run() async throws {
        // Caught from now on: a signal while starting waits for the start to finish.
        let termination = TerminationSignals()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.threads))
        let accessLog: Proxy.AccessLog?
        if let config = staticConfig.accessLog {
            accessLog = try Proxy.AccessLog(path: config.filePath, format: config.effectiveFormat == .json ? .json : .common)
        } else {
            accessLog = nil
        }
        let pools = UpstreamPools(group: group)
        let snapshots = SnapshotHolder()
        let certificates = CertificateStore(CertificateIndex(certificates: [], defaultCertificate: nil))
        let builder = SnapshotBuilder(staticConfig: staticConfig, logger: logger)
        let traffic = TrafficMetrics(group: group, buckets: staticConfig.prometheus.buckets)
        metrics.attach(traffic: traffic, health: builder.healthRegistry, certificates: certificates)

        // Dynamic configuration: loaded now, then watched (unless `watch: false`).
        var watcher = ConfigurationWatcher(provider: staticConfig.providers?.file, staticFile: options.configFile, logger: logger)
        let loaded = apiRoutes.initialLoad(watcher.load())
        let dynamic = loaded.configuration
        metrics.recordReload(succeeded: loaded.errors.isEmpty)
        let built = builder.build(dynamic, generation: 1)
        snapshots.replace(with: built.snapshot)
        statusBoard.publish(generation: 1, configuration: dynamic, issues: built.issues,
                            defaultEntryPoints: builder.defaultEntryPoints, servers: built.serverHealth)
        let healthChecks = ActiveHealthChecks(logger: logger)
        healthChecks.replace(with: built.healthChecks)
        let served = ServedCertificates(store: certificates, base: built.certificates)
        logger.info("configuration loaded", metadata: [
            "routers": "\(built.activeRouters)", "disabled": "\(built.disabledRouters)", "certificates": "\(built.certificateCount)",
        ])

        // Automatic certificates: the manager, its storage and the built-in DNS server.
        let answers = ChallengeAnswers()
        let acme = try await startCertificateManager(dynamic: dynamic, answers: answers, served: served, group: group)
        certificateManager.withLock { $0 = acme?.manager }
        let httpChallengeEntryPoints = ACMESetup.httpChallengeEntryPoints(staticConfig)
        let tlsChallenges: (any TLSChallengeResponder)? = ACMESetup.usesTLSChallenge(staticConfig) ? answers : nil

        // Released before the event loops shut down: its deinit completes a promise on one of them.
        var quiesce: ServerQuiescingHelper? = ServerQuiescingHelper(group: group)
        var servers: [(name: String, channel: any Channel)] = []
        var udpEntryPoints: [UDPEntryPoint] = []
        do {
            for (name, entryPoint) in staticConfig.entryPoints.sorted(by: { $0.key < $1.key }) {
                let address = try entryPoint.parsedAddress
                guard address.transport == .tcp else {
                    let udp = try await bindUDP(name: name, address: address, settings: builder.udpSettings(entryPoint),
                                                snapshots: snapshots, group: group)
                    udpEntryPoints.append(udp)
                    logger.info("entry point listening", metadata: [
                        "entryPoint": "\(name)", "address": "\(udp.localAddress)", "transport": "udp",
                    ])
                    continue
                }
                let context = EntryPointContext(
                    name: name,
                    port: address.port,
                    trustedIPs: builder.trustedIPs(for: name, entryPoint),
                    forwardedHeadersInsecure: entryPoint.forwardedHeaders?.insecure ?? false,
                    timeouts: builder.respondingTimeouts(entryPoint),
                    maxConcurrentStreams: entryPoint.maxConcurrentStreams,
                    maxHeaderBytes: entryPoint.maxHeaderBytes,
                    snapshots: snapshots,
                    pools: pools,
                    accessLog: accessLog,
                    logger: logger,
                    serverName: ProcessInfo.processInfo.hostName,
                    httpChallenges: httpChallengeEntryPoints.contains(name) ? HTTPChallengeAdapter(answers: answers) : nil,
                    // Traffic is counted only where /metrics can be read: with the admin API on.
                    metrics: staticConfig.admin == nil ? nil : traffic
                )
                let server = EntryPointServer(context: context, certificates: certificates, group: group, quiesce: quiesce!,
                                              tlsChallenges: tlsChallenges)
                let host = address.host ?? "::"
                let channel: any Channel
                do {
                    channel = try await server.bind(host: host, port: address.port)
                } catch where address.host == nil {
                    // No IPv6 on this host: fall back to every IPv4 address.
                    channel = try await server.bind(host: "0.0.0.0", port: address.port)
                }
                servers.append((name, channel))
                logger.info("entry point listening", metadata: [
                    "entryPoint": "\(name)", "address": "\(channel.localAddress.map { "\($0)" } ?? entryPoint.address)",
                ])
            }
        } catch {
            healthChecks.stop()
            for server in servers { try? await server.channel.close() }
            for udp in udpEntryPoints { await udp.close() }
            await acme?.stop()
            servers.removeAll()
            quiesce = nil
            try? await group.shutdownGracefully()
            accessLog?.close()
            throw error
        }

        let reloader = Reloader(builder: builder, snapshots: snapshots, served: served, acme: acme, healthChecks: healthChecks,
                                entryPoints: staticConfig.entryPoints, status: statusBoard, metrics: metrics, logger: logger)
        let watchFiles = staticConfig.providers?.file?.effectiveWatch ?? false
        let configFile = options.configFile
        apiRoutes.attach { result, demands in await reloader.apply(result, extraDemands: demands) }
        let watching = Task { [watcher, apiRoutes] in
            if watchFiles {
                await watcher.run { result in await apiRoutes.fileChanged(result) }
            } else {
                // Files are not watched, but a changed static file still deserves the warning.
                var staticOnly = ConfigurationWatcher(provider: nil, staticFile: configFile, logger: logger)
                _ = staticOnly.load()
                await staticOnly.run { _ in }
            }
        }

        // Everything that only starting needed is done: give its memory back.
        StartupMemory.release(logger: logger)

        let signal = await termination.wait()
        apiRoutes.detach()
        watching.cancel()
        await watching.value
        let grace = builder.longestGraceTimeout()
        logger.info("shutting down", metadata: ["signal": "\(signal)", "graceTimeOut": "\(grace)"])
        let drained = group.next().makePromise(of: Void.self)
        quiesce?.initiateShutdown(promise: drained)
        let timer = group.next().scheduleTask(in: grace) {
            drained.fail(GraceTimeoutExpired())
        }
        do {
            try await drained.futureResult.get()
            logger.info("all connections drained")
        } catch {
            logger.warning("graceTimeOut expired; closing remaining connections")
        }
        timer.cancel()
        healthChecks.stop()
        // UDP has no connections to drain: its sessions served on until the TCP side drained.
        for udp in udpEntryPoints { await udp.close() }
        await acme?.stop()
        pools.closeAll()
        servers.removeAll()
        quiesce = nil
        try? await group.shutdownGracefully()
        accessLog?.close()
    }

    /// Binds a UDP entry point; with no host, on every IPv6 and IPv4 address, or on every IPv4
    /// address when the system has no IPv6 (as TCP entry points do).
    private func bindUDP(
        name: String, address: EntryPointAddress, settings: UDPEntryPoint.Settings, snapshots: SnapshotHolder,
        group: any EventLoopGroup
    ) async throws -> UDPEntryPoint {
        let hosts = address.host.map { [$0] } ?? ["::", "0.0.0.0"]
        var failure: UDPEntryPointError?
        for host in hosts {
            do {
                return try await UDPEntryPoint.bind(name: name, host: host, port: address.port, settings: settings,
                                                    snapshots: snapshots, logger: logger, group: group)
            } catch {
                failure = error
            }
        }
        throw failure!
    }

    /// Starts the certificate manager when resolvers are configured: opens the storage in the
    /// data directory, starts the built-in DNS server if a resolver uses it, and hands the
    /// manager the routers' demands. Resolver configuration errors are logged and leave that
    /// resolver out; the gateway runs on.
    private func startCertificateManager(
        dynamic: DynamicConfiguration, answers: ChallengeAnswers, served: ServedCertificates, group: any EventLoopGroup
    ) async throws -> RunningCertificateManager? {
        guard !staticConfig.certificatesResolvers.isEmpty else { return nil }
        var dnsServer: DNS.DNSServer?
        var builtin: (any DNSChallengeProvider)?
        if ACMESetup.usesBuiltinDNS(staticConfig) {
            let records = DNSChallengeRecords()
            let address = staticConfig.dnsServer?.effectiveAddress ?? Config.DNSServer.defaultAddress
            do {
                let server = try await DNS.DNSServer.start(address: try DNSAddress(parsing: address), records: records, logger: logger, on: group)
                dnsServer = server
                builtin = BuiltinDNSProvider(records: records)
            } catch {
                logger.error("built-in DNS server not started; DNS-01 challenges with provider builtin will fail",
                             metadata: ["key": "dnsServer.address", "address": "\(address)", "error": "\(error)"])
            }
        }
        let storage = try await SQLiteCertificateStorage.open(dataDirectory: options.dataDirectory, logger: logger)
        // Stored DNS credentials (`dnsChallenge.credential`), read through the caller's adapter.
        let stored = options.storedDNSCredentials.map { $0(storage) }
        let dns = DNSProviderSetup(builtin: builtin, storedCredentials: stored,
                                   context: DNSProviderContext(logger: logger))
        let (resolvers, problems) = await ACMESetup.resolvers(staticConfig, dns: dns)
        for problem in problems {
            logger.error("certificate resolver disabled", metadata: ["error": "\(problem)"])
        }
        guard !resolvers.isEmpty else {
            try? await storage.close()
            await dnsServer?.shutdown()
            return nil
        }
        var policy = RenewalPolicy()
        if let text = ProcessInfo.processInfo.environment["GATEHOUSE_ACME_RETRY_INITIAL"], let initial = ConfigDuration(text) {
            policy.initialBackoff = initial.seconds
        }
        let manager = CertificateManager(
            resolvers: resolvers, storage: storage, answers: answers,
            options: .init(policy: policy, onOrderFinished: { [metrics] succeeded in metrics.recordOrder(result: succeeded ? "success" : "failure") },
                           dnsProviderForCredential: { reference in try await dns.credentialProvider(storedCredential: reference) }),
            logger: logger
        ) { acmeCertificates in
            served.replaceACME(acmeCertificates)
        }
        let task = Task { await manager.run() }
        await manager.setDemands(ACMESetup.demands(dynamic, entryPoints: staticConfig.entryPoints) + apiRoutes.preparedDemands)
        return RunningCertificateManager(manager: manager, task: task, storage: storage, dnsServer: dnsServer)
    }
}

/// SIGTERM and SIGINT, caught from the moment this is made (before the entry points listen), so
/// that one arriving while the gateway is still starting is not fatal: the gateway shuts down
/// gracefully as soon as it has started.
final class TerminationSignals: Sendable {
    private struct State {
        var received: String?
        var waiter: CheckedContinuation<String, Never>?
    }

    private let state = NIOLockedValueBox(State())

    init() {
        let queue = DispatchQueue(label: "gatehouse.signals")
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [state] in
                let waiter = state.withLockedValue { state -> CheckedContinuation<String, Never>? in
                    guard state.received == nil else { return nil }
                    state.received = name
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume(returning: name)
            }
            source.resume()
            sources.append(source)
        }
        SignalSources.keep(sources)
    }

    /// Suspends until SIGTERM or SIGINT has arrived (at once if one already has); returns its name.
    func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let already = state.withLockedValue { state -> String? in
                if let received = state.received { return received }
                state.waiter = continuation
                return nil
            }
            if let already { continuation.resume(returning: already) }
        }
    }
}

/// Keeps the signal sources alive for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) static var retained: [any DispatchSourceSignal] = []
    static func keep(_ sources: [any DispatchSourceSignal]) { retained.append(contentsOf: sources) }
}

/// The certificate manager's task and what it owns, for shutdown.
struct RunningCertificateManager: Sendable {
    let manager: CertificateManager
    let task: Task<Void, Never>
    let storage: SQLiteCertificateStorage
    let dnsServer: DNS.DNSServer?

    func stop() async {
        task.cancel()
        await task.value
        try? await storage.close()
        await dnsServer?.shutdown()
    }
}

/// The certificates served: those of the dynamic configuration (files, default) and those the
/// certificate manager obtained, merged into one index whenever either changes.
final class ServedCertificates: Sendable {
    private let store: CertificateStore
    private let state: Mutex<(base: CertificateIndex, acme: [ServerCertificate])>

    init(store: CertificateStore, base: CertificateIndex) {
        self.store = store
        self.state = Mutex((base, []))
        store.replace(with: base)
    }

    /// Serves `base` (the certificates of a new dynamic configuration) in place of the previous
    /// configured ones, next to the manager's.
    func replaceBase(_ base: CertificateIndex) {
        let index = state.withLock { state in
            state.base = base
            return state.acme.isEmpty ? base : Self.merge(base, state.acme)
        }
        store.replace(with: index)
    }

    /// Serves `certificates` from the manager next to the configured ones.
    func replaceACME(_ certificates: [ServerCertificate]) {
        let index = state.withLock { state in
            state.acme = certificates
            return Self.merge(state.base, certificates)
        }
        store.replace(with: index)
    }

    private static func merge(_ base: CertificateIndex, _ acme: [ServerCertificate]) -> CertificateIndex {
        let configuredDefault = base.defaultCertificate.isDefaultGenerated ? nil : base.defaultCertificate
        do {
            return try CertificateIndex(certificates: base.certificates + acme, defaultCertificate: configuredDefault,
                                        generatedDefault: DefaultCertificate.shared, selection: base.selection)
        } catch {
            return base
        }
    }
}

/// The grace period ended with connections still open.
struct GraceTimeoutExpired: Error {}
