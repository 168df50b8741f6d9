import Config
import Storage

extension TraefikView {
    /// Traefik's `TCPRouterInfo` of every TCP router, by qualified name.
    func tcpRouterInfos() -> [String: JSONObject] {
        var result: [String: JSONObject] = [:]
        for (name, router) in state.configuration.tcp.routers {
            result[qualified(.tcpRouter, name)] = routerInfo(
                .tcpRouter, name, entryPoints: router.entryPoints, middlewares: router.middlewares, service: router.service,
                rule: router.rule, ruleSyntax: router.ruleSyntax, priority: router.priority,
                tls: router.tls.map { Self.routerTLS($0, tcp: true) })
        }
        return result
    }

    /// Traefik's `TCPServiceInfo` of every TCP service, by qualified name.
    func tcpServiceInfos() -> [String: JSONObject] {
        let routers = state.configuration.tcp.routers.map { (name: $0.key, references: [$0.value.service].compactMap { $0 }) }
        return usedItemInfos(state.configuration.tcp.services, .tcpService, usedBy: routers, of: .tcpRouter) { service, info in
            switch service {
            case .loadBalancer(let balancer):
                var object = JSONObject()
                object.set("servers", JSONValue.array((balancer.servers ?? []).map { server in
                    var entry = JSONObject()
                    entry.set("address", server.address)
                    if server.tls == true { entry.set("tls", true) }
                    entry.set("weight", server.weight)
                    return entry.value
                }))
                if let proxyProtocol = balancer.proxyProtocol {
                    var entry = JSONObject()
                    entry.set("version", proxyProtocol.version ?? 2)
                    object.set("proxyProtocol", entry)
                }
                object.set("serversTransport", balancer.serversTransport)
                object.set("terminationDelay", Self.duration(balancer.terminationDelay))
                info.set("loadBalancer", object)
            case .weighted(let weighted):
                info.set("weighted", Self.weighted(weighted.services, sticky: nil))
            }
        }
    }

    /// Traefik's `TCPMiddlewareInfo` of every TCP middleware, by qualified name.
    func tcpMiddlewareInfos() -> [String: JSONObject] {
        let routers = state.configuration.tcp.routers.map { (name: $0.key, references: $0.value.middlewares ?? []) }
        return usedItemInfos(state.configuration.tcp.middlewares, .tcpMiddleware, usedBy: routers, of: .tcpRouter) { middleware, info in
            switch middleware {
            case .ipAllowList(let allowList):
                var object = JSONObject()
                object.set("sourceRange", allowList.sourceRange)
                info.set("ipAllowList", object)
                info.set("type", "ipallowlist")
            case .inFlightConn(let inFlight):
                var object = JSONObject()
                object.set("amount", inFlight.amount.map { Int($0) })
                info.set("inFlightConn", object)
                info.set("type", "inflightconn")
            }
        }
    }

    /// Traefik's `UDPRouterInfo` of every UDP router, by qualified name.
    func udpRouterInfos() -> [String: JSONObject] {
        var result: [String: JSONObject] = [:]
        for (name, router) in state.configuration.udp.routers {
            var info = JSONObject()
            let entryPoints = router.entryPoints ?? []
            info.set("entryPoints", entryPoints)
            info.set("service", router.service)
            setStatus(&info, .udpRouter, name)
            if isEnabled(.udpRouter, name) {
                info.set("using", entryPoints.filter { state.entryPoints[$0] != nil }.sorted())
            }
            result[qualified(.udpRouter, name)] = info
        }
        return result
    }

    /// Traefik's `UDPServiceInfo` of every UDP service, by qualified name.
    func udpServiceInfos() -> [String: JSONObject] {
        let routers = state.configuration.udp.routers.map { (name: $0.key, references: [$0.value.service].compactMap { $0 }) }
        return usedItemInfos(state.configuration.udp.services, .udpService, usedBy: routers, of: .udpRouter) { service, info in
            switch service {
            case .loadBalancer(let balancer):
                var object = JSONObject()
                object.set("servers", JSONValue.array((balancer.servers ?? []).map { server in
                    var entry = JSONObject()
                    entry.set("address", server.address)
                    entry.set("weight", server.weight)
                    return entry.value
                }))
                info.set("loadBalancer", object)
            case .weighted(let weighted):
                info.set("weighted", Self.weighted(weighted.services, sticky: nil))
            }
        }
    }
}
