import Certificates
import Config
import Logging
import Proxy

/// Applies a new dynamic configuration to the running gateway: builds the snapshot (on the
/// caller's task, never on an event loop), swaps it in atomically, replaces the configured
/// certificates, and gives the certificate manager the new demands.
///
/// Requests already routed, and open connections, keep the snapshot they read; the next request
/// reads the new one. Nothing is torn down, so no request fails because of a reload.
final class Reloader: Sendable {
    private let builder: SnapshotBuilder
    private let snapshots: SnapshotHolder
    private let served: ServedCertificates
    private let acme: RunningCertificateManager?
    private let healthChecks: ActiveHealthChecks
    private let entryPoints: [String: EntryPoint]
    private let status: RuntimeStatusBoard
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let generation = GenerationCounter(start: 1)

    init(builder: SnapshotBuilder, snapshots: SnapshotHolder, served: ServedCertificates, acme: RunningCertificateManager?,
         healthChecks: ActiveHealthChecks, entryPoints: [String: EntryPoint], status: RuntimeStatusBoard, metrics: GatewayMetrics, logger: Logger) {
        self.status = status
        self.metrics = metrics
        self.healthChecks = healthChecks
        self.builder = builder
        self.snapshots = snapshots
        self.served = served
        self.acme = acme
        self.entryPoints = entryPoints
        self.logger = logger
    }

    /// Builds and publishes `result`'s configuration; the certificate manager gets the routers'
    /// demands and `extraDemands` (those of admin API routes not served yet).
    func apply(_ result: DynamicLoadResult, extraDemands: [CertificateDemand] = []) async {
        let number = generation.next()
        let started = ContinuousClock.now
        let built = builder.build(result.configuration, generation: number)
        let buildTime = started.duration(to: .now)
        snapshots.replace(with: built.snapshot)
        metrics.recordReload(succeeded: result.errors.isEmpty)
        status.publish(generation: number, configuration: result.configuration, issues: built.issues,
                       defaultEntryPoints: builder.defaultEntryPoints, servers: built.serverHealth)
        healthChecks.replace(with: built.healthChecks)
        served.replaceBase(built.certificates)
        if let acme {
            await acme.manager.setDemands(ACMESetup.demands(result.configuration, entryPoints: entryPoints) + extraDemands)
        }
        logger.info("configuration reloaded", metadata: [
            "generation": "\(number)", "routers": "\(built.activeRouters)", "disabled": "\(built.disabledRouters)",
            "certificates": "\(built.certificateCount)", "files": "\(result.files.count)",
            "fileErrors": "\(result.errors.count)", "duplicates": "\(result.issues.count)",
            "buildMilliseconds": "\(buildTime.components.seconds * 1000 + buildTime.components.attoseconds / 1_000_000_000_000_000)",
        ])
    }
}
