import Config
import NIOCore
import Proxy

/// Builds the HTTP services of one snapshot — load balancers, weighted and failover services,
/// nested as configured — each once, and lists the active health checks they need.
///
/// A service with an error is reported and left out; services and routers that need it are
/// then reported in turn ("service … is missing or disabled"), the rest is served.
struct ServiceGraphBuilder {
    let configured: [String: HTTPService]
    /// The provider of each service: references resolve within it (``Config/ItemOrigins``).
    let origins: ItemOrigins
    let invalid: [String: String]
    let transports: [String: UpstreamTransport]
    let health: HealthRegistry
    private(set) var built: [String: Proxy.Service] = [:]
    private(set) var failed: Set<String> = []
    private(set) var checks: [HealthCheckTarget] = []
    /// Server URLs by service, for the health registry to keep.
    private(set) var serversByService: [String: [String]] = [:]

    init(configured: [String: HTTPService], origins: ItemOrigins = ItemOrigins(), invalid: [String: String],
         transports: [String: UpstreamTransport], health: HealthRegistry) {
        self.configured = configured
        self.origins = origins
        self.invalid = invalid
        self.transports = transports
        self.health = health
    }

    /// Builds every configured service.
    mutating func buildAll(report: (String, String) -> Void) {
        for name in configured.keys.sorted() {
            _ = service(name, from: origins[.httpService, name], report: report, path: [])
        }
    }

    /// The service named `reference` (`name`, `name@file`, `name@api`) as written in an item of
    /// `referrer` (a bare name is `referrer`'s), built on first use.
    mutating func service(
        _ reference: String, from referrer: ConfigProvider, report: (String, String) -> Void, path: [String] = []
    ) -> Proxy.Service? {
        guard let name = origins.resolvedName(reference, kind: .httpService, from: referrer) else { return nil }
        if let done = built[name] { return done }
        if failed.contains(name) || path.contains(name) { return nil }
        guard let config = configured[name] else { return nil }
        let provider = origins[.httpService, name]
        let qualified = provider.qualify(name)
        let item = "service \"\(qualified)\""
        if let message = invalid[name] {
            failed.insert(name)
            report(item, message)
            return nil
        }
        let result: Result<Proxy.Service, BuildProblem>
        switch config {
        case .loadBalancer(let lb):
            result = loadBalancer(name, lb)
        case .weighted(let weighted):
            var children: [(service: Proxy.Service, weight: Int)] = []
            var missing: String? = nil
            for child in weighted.services ?? [] {
                guard let childName = child.name, let built = service(childName, from: provider, report: report, path: path + [name]) else {
                    missing = child.name ?? "(unnamed)"
                    break
                }
                children.append((built, child.weight ?? 1))
            }
            if let missing {
                result = .failure(BuildProblem("weighted service \"\(missing)\" is missing or disabled"))
            } else {
                let sticky = weighted.sticky?.cookie.map { Self.stickyCookie($0, service: qualified) }
                result = .success(Proxy.Service(name: qualified, weighted: children, sticky: sticky,
                                                followsHealth: weighted.healthCheck != nil))
            }
        case .failover(let failover):
            guard let mainName = failover.service, let main = service(mainName, from: provider, report: report, path: path + [name]) else {
                result = .failure(BuildProblem("failover service \"\(failover.service ?? "")\" is missing or disabled"))
                break
            }
            guard let fallbackName = failover.fallback, let fallback = service(fallbackName, from: provider, report: report, path: path + [name]) else {
                result = .failure(BuildProblem("failover fallback \"\(failover.fallback ?? "")\" is missing or disabled"))
                break
            }
            result = .success(Proxy.Service(name: qualified, failoverFrom: main, to: fallback))
        case .mirroring(let mirroring):
            result = self.mirroring(name, mirroring, provider: provider, report: report, path: path)
        }
        switch result {
        case .success(let service):
            built[name] = service
            return service
        case .failure(let problem):
            failed.insert(name)
            report(item, problem.message)
            return nil
        }
    }

    /// `mirroring`: the main service and each mirror must be built; percentages are 0–100.
    private mutating func mirroring(
        _ name: String, _ config: HTTPService.Mirroring, provider: ConfigProvider, report: (String, String) -> Void, path: [String]
    ) -> Result<Proxy.Service, BuildProblem> {
        guard let mainName = config.service, let main = service(mainName, from: provider, report: report, path: path + [name]) else {
            return .failure(BuildProblem("mirroring service \"\(config.service ?? "")\" is missing or disabled"))
        }
        var targets: [Mirroring.Target] = []
        for (index, mirror) in (config.mirrors ?? []).enumerated() {
            guard let mirrorName = mirror.name, let built = service(mirrorName, from: provider, report: report, path: path + [name]) else {
                return .failure(BuildProblem("mirroring.mirrors[\(index)]: service \"\(mirror.name ?? "")\" is missing or disabled"))
            }
            let percent = mirror.percent ?? 0
            guard (0...100).contains(percent) else {
                return .failure(BuildProblem("mirroring.mirrors[\(index)].percent: \(percent) is not between 0 and 100"))
            }
            targets.append(Mirroring.Target(service: built, percent: percent))
        }
        let mirroring = Mirroring(main: main, targets: targets, maxBodySize: config.effectiveMaxBodySize,
                                  mirrorBody: config.effectiveMirrorBody)
        return .success(Proxy.Service(name: provider.qualify(name), mirroring: mirroring))
    }

    private mutating func loadBalancer(_ name: String, _ lb: HTTPService.LoadBalancer) -> Result<Proxy.Service, BuildProblem> {
        let transportName = lb.serversTransport.map(SnapshotBuilder.stripProvider) ?? "default"
        guard let transport = transports[transportName] else {
            return .failure(BuildProblem("unknown serversTransport \"\(transportName)\""))
        }
        let serviceName = origins.qualifiedName(.httpService, name)
        var servers: [Upstream] = []
        for server in lb.servers ?? [] {
            let url = server.url ?? ""
            do {
                servers.append(try Upstream(url: url, weight: server.effectiveWeight, transport: transport,
                                            health: health.health(service: serviceName, url: url)))
            } catch {
                return .failure(BuildProblem("\(error)"))
            }
        }
        if let check = lb.healthCheck {
            if let mode = check.mode, mode.lowercased() != "http" {
                return .failure(BuildProblem("healthCheck.mode \"\(mode)\" is not available; only http"))
            }
            for server in servers {
                checks.append(HealthCheckTarget(service: serviceName, upstream: server, settings: check))
            }
        } else {
            // Without an active check nothing may hold a server down that an earlier snapshot's
            // check had marked.
            for server in servers { server.health.setActive(healthy: true) }
        }
        serversByService[serviceName] = servers.map(\.url)
        let passive = lb.passiveHealthCheck.map { config in
            PassiveHealthPolicy(failureWindow: (config.failureWindow ?? .seconds(10)).timeAmount,
                                maxFailedAttempts: config.maxFailedAttempts ?? 1)
        }
        let balancer = LoadBalancer(
            servers: servers, passHostHeader: lb.effectivePassHostHeader,
            strategy: lb.effectiveStrategy == .p2c ? .powerOfTwoChoices : .weightedRoundRobin,
            sticky: lb.sticky?.cookie.map { Self.stickyCookie($0, service: serviceName) },
            passiveHealth: passive,
            flushInterval: Self.flushInterval(lb.responseForwarding)
        )
        return .success(Proxy.Service(name: serviceName, loadBalancer: balancer))
    }

    /// `responseForwarding.flushInterval` (default 100ms); negative means after every read. Zero
    /// counts as the default, as in Traefik, where a zero interval is replaced by it.
    static func flushInterval(_ forwarding: HTTPService.ResponseForwarding?) -> TimeAmount? {
        let interval = (forwarding?.effectiveFlushInterval ?? .milliseconds(100)).timeAmount
        if interval < .zero { return nil }
        return interval == .zero ? .milliseconds(100) : interval
    }

    static func stickyCookie(_ cookie: HTTPService.Cookie, service: String) -> StickyCookie {
        StickyCookie(
            name: cookie.name.flatMap { $0.isEmpty ? nil : $0 } ?? StickyCookie.defaultName(service: service),
            secure: cookie.secure ?? false, httpOnly: cookie.httpOnly ?? false, sameSite: cookie.sameSite ?? "",
            maxAge: cookie.maxAge.flatMap { $0 == 0 ? nil : $0 }, path: cookie.path ?? "/", domain: cookie.domain
        )
    }

    struct BuildProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
