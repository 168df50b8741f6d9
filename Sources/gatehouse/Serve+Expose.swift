import Admin
import Config
import Foundation
import Logging
import Runtime
import Storage

extension Serve {
    /// The expose chain of the admin API over `storage`: the stored API routes are handed to
    /// the gateway now (so its first snapshot serves them, after a restart too), and later
    /// changes reach it through ``GatewayExposeControl``.
    static func makeExpose(
        gateway: Gateway, staticConfig: StaticConfiguration, storage: SQLiteCertificateStorage, certificates: GatewayCertificateControl,
        audit: any AuditTrail, logger: Logger
    ) async throws -> ExposeService {
        let settings = GatewayExposeControl.settings(staticConfig, resolvers: certificates.resolvers)
        let control = GatewayExposeControl(gateway: gateway, storage: storage, settings: settings)
        let service = ExposeService(store: storage, control: control,
                                    certificates: ExposeCertificateControl(base: certificates, gateway: gateway),
                                    audit: audit, logger: logger)
        // An operation cut short by a stop left a prepared route: removed, its operation failed.
        for host in try await service.recoverInterrupted() {
            logger.warning("expose operation interrupted by a restart; its prepared route was removed", metadata: ["host": "\(host)"])
        }
        let routes = try await storage.storedRoutes()
        await gateway.apiRoutes.replaceRoutes(routes)
        if !routes.isEmpty {
            logger.info("admin API routes loaded", metadata: ["routes": "\(routes.count)"])
        }
        return service
    }
}
