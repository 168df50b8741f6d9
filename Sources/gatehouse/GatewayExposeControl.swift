import Admin
import Config
import Foundation
import Runtime
import Storage

/// The admin API's expose chain over the running gateway: stored API routes are handed to the
/// gateway's api routes source (merged with the file provider's configuration and swapped in),
/// and a certificate record an operation gave up on is deleted.
struct GatewayExposeControl: ExposeControl {
    let gateway: Gateway
    let storage: any CertificateStorage
    let settings: ExposeSettings

    /// The settings the static configuration gives: `gateway.domain` and `gateway.resolver`,
    /// the resolvers that run (with their challenge types), the entry points, and
    /// `admin.requireApproval` / `admin.fourEyes`. `GATEHOUSE_EXPOSE_CERTIFICATE_TIMEOUT`
    /// (a duration such as `90s`) changes how long an operation waits for its certificate.
    static func settings(_ config: StaticConfiguration, resolvers running: [String]) -> ExposeSettings {
        var resolvers: [String: [String]] = [:]
        for name in running {
            guard let acme = config.certificatesResolvers[name]?.acme else { continue }
            var challenges: [String] = []
            if acme.httpChallenge != nil { challenges.append("http-01") }
            if acme.tlsChallenge != nil { challenges.append("tls-alpn-01") }
            if acme.dnsChallenge != nil { challenges.append("dns-01") }
            resolvers[name] = challenges
        }
        var defaultResolver = config.gateway?.resolver
        if defaultResolver == nil, resolvers.count == 1 { defaultResolver = resolvers.keys.first }
        var settings = ExposeSettings(
            gatewayDomain: config.gateway?.normalizedDomain, defaultResolver: defaultResolver, resolvers: resolvers,
            entryPoints: config.entryPoints.keys.sorted(), requireApproval: config.admin?.effectiveRequireApproval ?? false,
            fourEyes: config.admin?.effectiveFourEyes ?? false
        )
        if let text = ProcessInfo.processInfo.environment["GATEHOUSE_EXPOSE_CERTIFICATE_TIMEOUT"], let timeout = ConfigDuration(text) {
            settings.certificateTimeout = timeout.duration
        }
        return settings
    }

    func fileConfiguration() async -> DynamicConfiguration {
        gateway.apiRoutes.fileConfiguration
    }

    func routesChanged(_ routes: [StoredRoute]) async {
        await gateway.apiRoutes.replaceRoutes(routes)
    }

    func discardCertificate(id: String) async {
        try? await storage.deleteCertificate(id: id)
        await gateway.certificatesChanged()
    }
}

/// The certificate operations as the expose chain uses them: like the admin API's, except that
/// a certificate asked for by an expose is demanded by its route alone (not "until revoked"),
/// so that removing the route stops its renewal.
struct ExposeCertificateControl: CertificateControl {
    let base: GatewayCertificateControl
    let gateway: Gateway

    var resolvers: [String] { base.resolvers }

    func certificates() async throws -> [CertificateRecord] { try await base.certificates() }

    func certificate(id: String) async throws -> CertificateRecord? { try await base.certificate(id: id) }

    func issue(names: [String], resolver: String, challenge: String?, dnsCredential: String?) async throws -> CertificateRecord {
        let record = try await base.operations.issue(names: names, resolver: resolver, challenge: challenge, dnsCredential: dnsCredential,
                                                     reason: "demanded by an expose operation of the admin API")
        await gateway.certificatesChanged()
        return record
    }

    func requestRenewal(id: String) async throws -> CertificateRecord { try await base.requestRenewal(id: id) }

    func revoke(id: String, reason: Int?) async throws -> CertificateRecord { try await base.revoke(id: id, reason: reason) }
}
