import Config
import Foundation
import Storage

/// The rows of `GET /api/v1/routes`: one per HTTP and TCP router of the snapshot being served,
/// disabled ones included, each with its hosts, entry points, service and backends with their
/// health, middlewares, TLS mode and the certificate that serves it.
struct RoutesMonitor {
    /// How a router's connections are secured.
    enum TLSMode: String {
        /// Plain HTTP or TCP.
        case none
        /// TLS ends at the gateway.
        case terminate
        /// TLS bytes go to the backend as they are.
        case passthrough
    }

    let state: RuntimeState
    let certificates: [CertificateRecord]
    let now: Date

    /// Every row, HTTP routers first, each kind by name.
    func rows() -> [JSONValue] {
        let view = TraefikView(state)
        var rows: [JSONValue] = []
        let http = state.configuration.http
        for (name, router) in http.routers.sorted(by: { $0.key < $1.key }) {
            let entryPoints = router.entryPoints ?? state.defaultEntryPoints
            let defaults = entryPoints.lazy.compactMap { state.entryPoints[$0]?.http?.tls }.first
            let tls = router.tls ?? defaults.map { defaults in
                var tls = RouterTLS()
                tls.certResolver = defaults.certResolver
                tls.domains = defaults.domains
                return tls
            }
            let mode: TLSMode = tls == nil ? .none : .terminate
            let provider = view.provider(.httpRouter, name)
            rows.append(row(
                view: view, name: name, kind: .httpRouter, rule: router.rule, entryPoints: entryPoints, service: router.service,
                backends: router.service.map { httpBackends($0, from: provider, view: view, depth: 0) } ?? [],
                middlewares: router.middlewares ?? [], tls: tls, mode: mode,
                errors: view.errors(.httpRouter, name)
            ))
        }
        for (name, router) in state.configuration.tcp.routers.sorted(by: { $0.key < $1.key }) {
            let mode: TLSMode = router.tls == nil ? .none : (router.tls?.passthrough == true ? .passthrough : .terminate)
            let provider = view.provider(.tcpRouter, name)
            rows.append(row(
                view: view, name: name, kind: .tcpRouter, rule: router.rule, entryPoints: router.entryPoints ?? state.defaultEntryPoints,
                service: router.service, backends: router.service.map { tcpBackends($0, from: provider, view: view, depth: 0) } ?? [],
                middlewares: router.middlewares ?? [], tls: router.tls, mode: mode,
                errors: view.errors(.tcpRouter, name)
            ))
        }
        return rows
    }

    private func row(
        view: TraefikView, name: String, kind: ItemProblem.Kind, rule: String?, entryPoints: [String], service: String?,
        backends: [JSONValue], middlewares: [String], tls: RouterTLS?, mode: TLSMode, errors: [String]
    ) -> JSONValue {
        let hosts = HostMatchers(rule: rule)
        let certificate = mode == .terminate ? self.certificate(for: tls, hosts: hosts.names) : nil
        let provider = view.provider(kind, name)
        var fields: [String: JSONValue] = [:]
        fields["name"] = .string(view.qualified(kind, name))
        fields["provider"] = .string(provider.name)
        fields["type"] = .string(kind == .tcpRouter ? "tcp" : "http")
        fields["rule"] = rule.map(JSONValue.string) ?? .null
        fields["hosts"] = .strings(hosts.names)
        fields["hostPatterns"] = .strings(hosts.patterns)
        fields["entryPoints"] = .strings(entryPoints)
        fields["service"] = service.map { JSONValue.string(ItemOrigins.qualifiedReference($0, from: provider)) } ?? .null
        fields["backends"] = .array(backends)
        fields["middlewares"] = .strings(middlewares.map { ItemOrigins.qualifiedReference($0, from: provider) })
        fields["tls"] = .string(mode.rawValue)
        fields["certResolver"] = tls?.certResolver.map(JSONValue.string) ?? .null
        fields["status"] = .string(errors.isEmpty ? "enabled" : "disabled")
        fields["error"] = errors.isEmpty ? .null : .string(errors.joined(separator: "; "))
        fields["certificateID"] = certificate.map { JSONValue.string($0.id) } ?? .null
        fields["certificateStatus"] = certificate.map { JSONValue.string($0.status.rawValue) } ?? .null
        fields["issuer"] = certificate?.issuer.map(JSONValue.string) ?? .null
        fields["notAfter"] = CertificateView.timestamp(certificate?.notAfter)
        fields["daysUntilExpiry"] = CertificateView.daysUntil(certificate?.notAfter, now: now).map(JSONValue.int) ?? .null
        return .object(fields)
    }

    // MARK: Certificates

    /// The managed certificate for a TLS router: the record of its resolver for the names it
    /// demands (`tls.domains`, else the rule's hosts), else a servable one covering those names.
    func certificate(for tls: RouterTLS?, hosts: [String]) -> CertificateRecord? {
        let domainSets = (tls?.domains ?? []).map(\.allNames).filter { !$0.isEmpty }
        let wanted = (domainSets.first ?? hosts).map { $0.lowercased() }.filter { $0 != "*" }
        guard !wanted.isEmpty else { return nil }
        let wantedSet = Set(wanted)
        if let resolver = tls?.certResolver, !resolver.isEmpty {
            let own = certificates.filter { $0.resolver == resolver }
            if let exact = own.first(where: { Set($0.names.map { $0.lowercased() }) == wantedSet }) { return exact }
            if let covering = own.first(where: { Self.covers($0.names, wanted) }) { return covering }
        }
        return certificates
            .filter { $0.status.isServable && Self.covers($0.names, wanted) }
            .max { ($0.notAfter ?? .distantPast) < ($1.notAfter ?? .distantPast) }
    }

    /// Whether a certificate's `names` cover every name of `wanted` (wildcards one label deep).
    static func covers(_ names: [String], _ wanted: [String]) -> Bool {
        let have = Set(names.map { $0.lowercased() })
        return wanted.allSatisfy { name in
            if have.contains(name) { return true }
            guard !name.hasPrefix("*."), let dot = name.firstIndex(of: ".") else { return false }
            return have.contains("*" + name[dot...])
        }
    }

    // MARK: Backends

    /// The servers of an HTTP service, following weighted, mirroring and failover services a
    /// few levels deep; each with `up`, `down` or `unknown` (a service not being served).
    private func httpBackends(_ reference: String, from referrer: ConfigProvider, view: TraefikView, depth: Int) -> [JSONValue] {
        guard depth < 4, let name = view.localName(reference, .httpService, from: referrer),
              let service = state.configuration.http.services[name] else {
            return []
        }
        let qualified = view.qualified(.httpService, name)
        if let balancer = service.loadBalancer {
            let health = state.serverHealth[qualified] ?? [:]
            return (balancer.servers ?? []).compactMap { server in
                guard let url = server.url else { return nil }
                let status = health[url].map { $0 ? "up" : "down" } ?? "unknown"
                return .object(["url": .string(url), "service": .string(qualified), "health": .string(status)])
            }
        }
        let provider = view.provider(.httpService, name)
        return service.referencedServices.flatMap { httpBackends($0, from: provider, view: view, depth: depth + 1) }
    }

    /// The servers of a TCP service. TCP services have no health checks: each is `up` while its
    /// service is served, `down` when the service is disabled.
    private func tcpBackends(_ reference: String, from referrer: ConfigProvider, view: TraefikView, depth: Int) -> [JSONValue] {
        guard depth < 4, let name = view.localName(reference, .tcpService, from: referrer),
              let service = state.configuration.tcp.services[name] else {
            return []
        }
        let qualified = view.qualified(.tcpService, name)
        switch service {
        case .loadBalancer(let balancer):
            let served = view.isEnabled(.tcpService, name)
            return (balancer.servers ?? []).compactMap { server in
                guard let address = server.address else { return nil }
                return .object(["url": .string(address), "service": .string(qualified), "health": .string(served ? "up" : "down")])
            }
        case .weighted(let weighted):
            let provider = view.provider(.tcpService, name)
            return (weighted.services ?? []).compactMap(\.name).flatMap { tcpBackends($0, from: provider, view: view, depth: depth + 1) }
        }
    }
}
