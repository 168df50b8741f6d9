import Config
import NIOCore
import Proxy

/// The UDP part of a snapshot: one route per UDP entry point.
struct UDPBuildResult {
    var routes: [String: UDPRoute] = [:]
    var activeRouters = 0
    var disabledRouters = 0
}

extension SnapshotBuilder {
    /// The entry points whose address ends in `/udp`, sorted.
    var udpEntryPoints: [String] {
        staticConfig.entryPoints.filter { (try? $0.value.parsedAddress.transport) == .udp }.map(\.key).sorted()
    }

    /// The session settings of a UDP entry point: its `udp.timeout` (default 3 s).
    func udpSettings(_ entryPoint: EntryPoint) -> UDPEntryPoint.Settings {
        let timeout = entryPoint.udp?.effectiveTimeout ?? .seconds(3)
        var settings = UDPEntryPoint.Settings()
        if !timeout.isZero && !timeout.isNegative {
            settings.idleTimeout = timeout.timeAmount
        }
        return settings
    }

    /// Builds the UDP services and routers, as Traefik does: a router without `entryPoints`
    /// attaches to every UDP entry point; a router with an invalid item (from validation) or a
    /// missing service is disabled and reported. When several routers attach to one entry point,
    /// Traefik serves only one (the first by name in descending order) and warns; so does this.
    ///
    /// - Parameters:
    ///   - origins: the provider of each item; references resolve within the referring item's.
    ///   - invalidRouters, invalidServices: validation errors by item name.
    func buildUDP(
        _ udp: UDPConfiguration, origins: ItemOrigins = ItemOrigins(), invalidRouters: [String: String], invalidServices: [String: String],
        report: (String, String) -> Void
    ) -> UDPBuildResult {
        var result = UDPBuildResult()
        var services: [String: Proxy.UDPService] = [:]
        var failed: Set<String> = []

        func service(_ name: String, path: [String]) -> Proxy.UDPService? {
            if let built = services[name] { return built }
            if failed.contains(name) { return nil }
            let provider = origins[.udpService, name]
            let item = "UDP service \"\(provider.qualify(name))\""
            guard let config = udp.services[name] else { return nil }
            if let message = invalidServices[name] {
                report(item, message)
                failed.insert(name)
                return nil
            }
            guard !path.contains(name) else {
                report(item, "weighted services refer to each other in a cycle: \((path + [name]).joined(separator: " → "))")
                failed.insert(name)
                return nil
            }
            let built: Proxy.UDPService
            switch config {
            case .loadBalancer(let lb):
                var servers: [UDPServer] = []
                for (index, server) in (lb.servers ?? []).enumerated() {
                    guard let parsed = UDPServer(address: server.address ?? "", weight: server.weight ?? 1) else {
                        report(item, "loadBalancer.servers[\(index)].address \"\(server.address ?? "")\" is not host:port")
                        failed.insert(name)
                        return nil
                    }
                    servers.append(parsed)
                }
                built = Proxy.UDPService(name: provider.qualify(name), servers: servers)
            case .weighted(let weighted):
                var children: [(service: Proxy.UDPService, weight: Int)] = []
                for child in weighted.services ?? [] {
                    let reference = child.name ?? ""
                    guard let childName = origins.resolvedName(reference, kind: .udpService, from: provider),
                          let childService = service(childName, path: path + [name]) else {
                        report(item, "weighted service \"\(reference)\" is missing or disabled")
                        failed.insert(name)
                        return nil
                    }
                    children.append((childService, child.weight ?? 1))
                }
                built = Proxy.UDPService(name: provider.qualify(name), members: .services(children))
            }
            services[name] = built
            return built
        }

        // Every service is built (and its problems reported) whether or not a router uses it.
        for name in udp.services.keys.sorted() {
            _ = service(name, path: [])
        }

        let allUDP = udpEntryPoints
        var candidates: [String: [UDPRoute]] = [:]
        for (name, router) in udp.routers.sorted(by: { $0.key < $1.key }) {
            let provider = origins[.udpRouter, name]
            let item = "UDP router \"\(provider.qualify(name))\""
            if let message = invalidRouters[name] {
                report(item, message)
                result.disabledRouters += 1
                continue
            }
            let reference = router.service ?? ""
            guard let serviceName = origins.resolvedName(reference, kind: .udpService, from: provider),
                  let target = service(serviceName, path: []) else {
                report(item, "UDP service \"\(reference)\" is missing or disabled")
                result.disabledRouters += 1
                continue
            }
            let route = UDPRoute(routerName: provider.qualify(name), service: target)
            for entryPoint in router.entryPoints ?? allUDP {
                candidates[entryPoint, default: []].append(route)
            }
            result.activeRouters += 1
        }
        for (entryPoint, routes) in candidates {
            // Traefik sorts the routers of an entry point by name, descending, and serves the first.
            let ordered = routes.sorted { $0.routerName > $1.routerName }
            result.routes[entryPoint] = ordered[0]
            if ordered.count > 1 {
                logger.warning("several UDP routers on one entry point; only one is served, as in Traefik", metadata: [
                    "entryPoint": "\(entryPoint)", "served": "\(ordered[0].routerName)",
                    "ignored": "\(ordered.dropFirst().map(\.routerName).joined(separator: ", "))",
                ])
            }
        }
        return result
    }
}
