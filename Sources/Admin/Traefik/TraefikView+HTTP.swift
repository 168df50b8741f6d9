import Config
import Storage

extension TraefikView {
    /// Traefik's `RouterInfo` of every HTTP router, by qualified name.
    func httpRouterInfos() -> [String: JSONObject] {
        var result: [String: JSONObject] = [:]
        for (name, router) in state.configuration.http.routers {
            result[qualified(.httpRouter, name)] = routerInfo(
                .httpRouter, name, entryPoints: router.entryPoints, middlewares: router.middlewares, service: router.service,
                rule: router.rule, ruleSyntax: router.ruleSyntax, priority: router.priority,
                tls: router.tls.map { Self.routerTLS($0, tcp: false) })
        }
        return result
    }

    /// What HTTP and TCP routers show alike, in Traefik's shape: entry points (the defaults
    /// when none are listed), middlewares, service, rule, priority, TLS, status and `using`.
    func routerInfo(
        _ kind: ItemProblem.Kind, _ name: String, entryPoints listed: [String]?, middlewares: [String]?, service: String?,
        rule: String?, ruleSyntax: String?, priority: Int?, tls: JSONObject?
    ) -> JSONObject {
        var info = JSONObject()
        let entryPoints = listed ?? state.defaultEntryPoints
        info.set("entryPoints", entryPoints)
        info.set("middlewares", middlewares)
        info.set("service", service)
        info.set("rule", rule)
        info.set("ruleSyntax", ruleSyntax)
        if let priority, priority != 0 { info.set("priority", priority) }
        info.set("tls", tls)
        setStatus(&info, kind, name)
        if isEnabled(kind, name) {
            info.set("using", entryPoints.filter { state.entryPoints[$0] != nil }.sorted())
        }
        return info
    }

    /// Traefik's `ServiceInfo` of every HTTP service, by qualified name.
    func httpServiceInfos() -> [String: JSONObject] {
        let routers = state.configuration.http.routers.map { (name: $0.key, references: [$0.value.service].compactMap { $0 }) }
        return usedItemInfos(state.configuration.http.services, .httpService, usedBy: routers, of: .httpRouter) { service, info in
            switch service {
            case .loadBalancer(let balancer): info.set("loadBalancer", Self.loadBalancer(balancer))
            case .weighted(let weighted): info.set("weighted", Self.weighted(weighted.services, sticky: weighted.sticky))
            case .mirroring(let mirroring): info.set("mirroring", Self.mirroring(mirroring))
            case .failover(let failover):
                var object = JSONObject()
                object.set("service", failover.service)
                object.set("fallback", failover.fallback)
                info.set("failover", object)
            }
        }
    }

    /// Traefik's `MiddlewareInfo` of every HTTP middleware, by qualified name (type only, see
    /// ``TraefikView``).
    func httpMiddlewareInfos() -> [String: JSONObject] {
        let routers = state.configuration.http.routers.map { (name: $0.key, references: $0.value.middlewares ?? []) }
        return usedItemInfos(state.configuration.http.middlewares, .httpMiddleware, usedBy: routers, of: .httpRouter) { middleware, info in
            info.set("type", middleware.kindName.lowercased())
        }
    }

    /// A service's `type` as Traefik's list shows it (`loadbalancer`, `weighted`, …).
    static func serviceType(_ info: JSONObject) -> String? {
        ["loadBalancer", "weighted", "mirroring", "failover"].first { info[$0] != nil }?.lowercased()
    }

    static func routerTLS(_ tls: RouterTLS, tcp: Bool) -> JSONObject {
        var object = JSONObject()
        if tcp { object.set("passthrough", tls.passthrough ?? false) }
        object.set("options", tls.options ?? "default")
        object.set("certResolver", tls.certResolver)
        if let domains = tls.domains, !domains.isEmpty {
            object.set("domains", JSONValue.array(domains.map { domain in
                var entry = JSONObject()
                entry.set("main", domain.main)
                entry.set("sans", domain.sans)
                return entry.value
            }))
        }
        return object
    }

    private static func loadBalancer(_ balancer: HTTPService.LoadBalancer) -> JSONObject {
        var object = JSONObject()
        object.set("servers", JSONValue.array((balancer.servers ?? []).map { server in
            var entry = JSONObject()
            entry.set("url", server.url)
            entry.set("weight", server.weight)
            if server.preservePath == true { entry.set("preservePath", true) }
            return entry.value
        }))
        object.set("passHostHeader", balancer.effectivePassHostHeader)
        object.set("strategy", balancer.effectiveStrategy.rawValue)
        object.set("serversTransport", balancer.serversTransport)
        object.set("sticky", balancer.sticky.map(sticky))
        if let check = balancer.healthCheck {
            var health = JSONObject()
            health.set("scheme", check.scheme)
            health.set("mode", check.mode)
            health.set("path", check.path)
            health.set("method", check.method)
            health.set("status", check.status)
            health.set("port", check.port)
            health.set("interval", duration(check.effectiveInterval))
            health.set("unhealthyInterval", duration(check.unhealthyInterval))
            health.set("timeout", duration(check.effectiveTimeout))
            health.set("hostname", check.hostname)
            health.set("followRedirects", check.effectiveFollowRedirects)
            object.set("healthCheck", health)
        }
        if let forwarding = balancer.responseForwarding {
            var object2 = JSONObject()
            object2.set("flushInterval", duration(forwarding.effectiveFlushInterval))
            object.set("responseForwarding", object2)
        }
        return object
    }

    static func weighted(_ services: [HTTPService.WeightedService]?, sticky: HTTPService.Sticky?) -> JSONObject {
        var object = JSONObject()
        object.set("services", JSONValue.array((services ?? []).map { service in
            var entry = JSONObject()
            entry.set("name", service.name)
            entry.set("weight", service.weight)
            return entry.value
        }))
        object.set("sticky", sticky.map(Self.sticky))
        return object
    }

    private static func mirroring(_ mirroring: HTTPService.Mirroring) -> JSONObject {
        var object = JSONObject()
        object.set("service", mirroring.service)
        object.set("mirrorBody", mirroring.effectiveMirrorBody)
        object.set("maxBodySize", Int(mirroring.effectiveMaxBodySize))
        object.set("mirrors", JSONValue.array((mirroring.mirrors ?? []).map { mirror in
            var entry = JSONObject()
            entry.set("name", mirror.name)
            entry.set("percent", mirror.percent)
            return entry.value
        }))
        return object
    }

    private static func sticky(_ sticky: HTTPService.Sticky) -> JSONObject {
        var object = JSONObject()
        if let cookie = sticky.cookie {
            var entry = JSONObject()
            entry.set("name", cookie.name)
            entry.set("secure", cookie.secure)
            entry.set("httpOnly", cookie.httpOnly)
            entry.set("sameSite", cookie.sameSite)
            entry.set("maxAge", cookie.maxAge)
            entry.set("path", cookie.path)
            entry.set("domain", cookie.domain)
            object.set("cookie", entry)
        }
        return object
    }
}
