import Config
import Logging
import NIOCore
import NIOSSL
import Proxy
import Routing
import TLS

/// The TCP part of a snapshot: routers per entry point, services, transports and middlewares.
struct TCPBuildResult {
    /// Per entry point name.
    var routes: [String: TCPRoutes] = [:]
    var activeRouters = 0
    var disabledRouters = 0
}

/// Items that validation found in error, by name (the first message of each).
struct InvalidTCPItems {
    var routers: [String: String] = [:]
    var services: [String: String] = [:]
    var middlewares: [String: String] = [:]
}

extension SnapshotBuilder {
    /// Builds the TCP routers of `tcp`. As for HTTP, a router whose rule, service or middleware
    /// is unusable is disabled and reported; a service or transport in error disables only the
    /// routers that use it.
    /// References resolve within the referring item's provider (`origins`).
    func buildTCP(
        _ tcp: TCPConfiguration, origins: ItemOrigins = ItemOrigins(), invalid: InvalidTCPItems, report: (String, String) -> Void
    ) -> TCPBuildResult {
        var result = TCPBuildResult()
        guard !tcp.routers.isEmpty else { return result }
        let transports = buildTCPTransports(tcp.serversTransports, report: report)
        let services = buildTCPServices(tcp.services, origins: origins, transports: transports, invalid: invalid, report: report)
        let middlewares = buildTCPMiddlewares(tcp.middlewares, origins: origins, invalid: invalid, report: report)

        var secure: [String: [Route<TCPRouteTarget>]] = [:]
        var plain: [String: [Route<TCPRouteTarget>]] = [:]
        for (name, router) in tcp.routers.sorted(by: { $0.key < $1.key }) {
            let provider = origins[.tcpRouter, name]
            let qualified = provider.qualify(name)
            let item = "tcp router \"\(qualified)\""
            func disable(_ message: String) {
                report(item, message)
                result.disabledRouters += 1
            }
            if let message = invalid.routers[name] {
                disable(message)
                continue
            }
            let rule: Rule
            do {
                rule = try Rule.parse(router.rule ?? "", kind: .tcp)
            } catch {
                disable("rule \(router.rule.map { "\"\($0)\"" } ?? "(missing)"): \(error)")
                continue
            }
            let serviceReference = router.service ?? ""
            guard let serviceName = origins.resolvedName(serviceReference, kind: .tcpService, from: provider),
                  let service = services[serviceName] else {
                disable("TCP service \"\(serviceReference)\" is missing or disabled")
                continue
            }
            var chain: [TCPConnectionMiddleware] = []
            var missing: String? = nil
            for reference in router.middlewares ?? [] {
                guard let middlewareName = origins.resolvedName(reference, kind: .tcpMiddleware, from: provider),
                      let middleware = middlewares[middlewareName] else {
                    missing = reference
                    break
                }
                chain.append(middleware)
            }
            if let missing {
                disable("TCP middleware \"\(missing)\" is missing or disabled")
                continue
            }
            let mode: TCPRouteTarget.TLSMode
            if let tls = router.tls {
                mode = tls.passthrough == true ? .passthrough : .terminate
            } else {
                mode = .none
            }
            let target = TCPRouteTarget(routerName: qualified, service: service, tls: mode, middlewares: chain)
            let route = Route(name: qualified, rule: rule, priority: router.priority, target: target)
            for entryPoint in router.entryPoints ?? defaultEntryPoints {
                if mode == .none {
                    plain[entryPoint, default: []].append(route)
                } else {
                    secure[entryPoint, default: []].append(route)
                }
            }
            result.activeRouters += 1
        }
        for entryPoint in Set(secure.keys).union(plain.keys) {
            result.routes[entryPoint] = TCPRoutes(secure: RouteTable(secure[entryPoint] ?? []), plain: RouteTable(plain[entryPoint] ?? []))
        }
        return result
    }

    // MARK: Services

    private func buildTCPServices(
        _ configured: [String: Config.TCPService], origins: ItemOrigins, transports: [String: TCPTransport], invalid: InvalidTCPItems,
        report: (String, String) -> Void
    ) -> [String: TCPBalancer] {
        var built: [String: TCPBalancer] = [:]
        var failed: Set<String> = []
        // Depth-first, so `weighted` services find the services they name already built.
        func build(_ name: String, path: [String]) -> TCPBalancer? {
            if let done = built[name] { return done }
            if failed.contains(name) { return nil }
            let provider = origins[.tcpService, name]
            let qualified = provider.qualify(name)
            let item = "tcp service \"\(qualified)\""
            func fail(_ message: String) -> TCPBalancer? {
                failed.insert(name)
                report(item, message)
                return nil
            }
            if let message = invalid.services[name] { return fail(message) }
            guard let service = configured[name] else { return nil }
            guard !path.contains(name) else { return fail("service refers back to itself through \(path.joined(separator: " → "))") }
            switch service {
            case .loadBalancer(let lb):
                let transportName = lb.serversTransport.map(Self.stripProvider) ?? "default"
                guard var transport = transports[transportName] else {
                    return fail("unknown or disabled serversTransport \"\(transportName)\"")
                }
                if let version = lb.proxyProtocol {
                    transport = transport.with(proxyProtocol: ProxyProtocolVersion(rawValue: version.version ?? 2) ?? .v2)
                }
                if let delay = lb.terminationDelay {
                    transport = transport.with(terminationDelay: delay.timeAmount)
                }
                if lb.healthCheck != nil {
                    logger.warning("TCP health checks are not available yet; the servers are used without them",
                                   metadata: ["service": "\(qualified)", "key": "tcp.services.\(name).loadBalancer.healthCheck"])
                }
                do {
                    let servers = try (lb.servers ?? []).map { server throws(TCPAddressError) in
                        try TCPBackend(address: server.address ?? "", isTLS: server.tls ?? false, weight: server.weight ?? 1,
                                       transport: transport)
                    }
                    guard !servers.isEmpty else { return fail("load balancer has no servers") }
                    let balancer = TCPBalancer(name: qualified, servers: servers)
                    built[name] = balancer
                    return balancer
                } catch {
                    return fail("\(error)")
                }
            case .weighted(let weighted):
                var children: [TCPBalancer.Child] = []
                for child in weighted.services ?? [] {
                    let reference = child.name ?? ""
                    guard let childName = origins.resolvedName(reference, kind: .tcpService, from: provider),
                          let balancer = build(childName, path: path + [name]) else {
                        return fail("weighted service \"\(reference)\" is missing or disabled")
                    }
                    children.append(.service(balancer, weight: child.weight ?? 1))
                }
                guard !children.isEmpty else { return fail("weighted service has no services") }
                let balancer = TCPBalancer(name: qualified, children: children)
                built[name] = balancer
                return balancer
            }
        }
        for name in configured.keys.sorted() {
            _ = build(name, path: [])
        }
        return built
    }

    // MARK: Middlewares

    private func buildTCPMiddlewares(
        _ configured: [String: TCPMiddleware], origins: ItemOrigins, invalid: InvalidTCPItems, report: (String, String) -> Void
    ) -> [String: TCPConnectionMiddleware] {
        var out: [String: TCPConnectionMiddleware] = [:]
        for (name, middleware) in configured.sorted(by: { $0.key < $1.key }) {
            let item = "tcp middleware \"\(origins.qualifiedName(.tcpMiddleware, name))\""
            if let message = invalid.middlewares[name] {
                report(item, message)
                continue
            }
            switch middleware {
            case .ipAllowList(let allow):
                do {
                    let networks = try (allow.sourceRange ?? []).map { text throws(IPNetworkParseError) in try IPNetwork(parsing: text) }
                    out[name] = .ipAllowList(networks)
                } catch {
                    report(item, "ipAllowList.sourceRange: \(error)")
                }
            case .inFlightConn(let limit):
                out[name] = .inFlightConn(InFlightConnections(limit: max(0, limit.amount ?? 0)))
            }
        }
        return out
    }

    // MARK: Transports

    private func buildTCPTransports(
        _ configured: [String: TCPServersTransport], report: (String, String) -> Void
    ) -> [String: TCPTransport] {
        var all = configured
        if all["default"] == nil {
            all["default"] = staticConfig.tcpServersTransport ?? TCPServersTransport()
        }
        var out: [String: TCPTransport] = [:]
        for (name, transport) in all {
            do {
                out[Self.stripProvider(name)] = try makeTCPTransport(name: name, transport)
            } catch {
                report("tcp serversTransport \"\(name)\"", "\(error)")
            }
        }
        return out
    }

    private func makeTCPTransport(name: String, _ t: TCPServersTransport) throws -> TCPTransport {
        var tls = NIOSSL.TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.shutdownTimeout = TLSServerSettings.closeNotifyWait
        if t.tls?.insecureSkipVerify == true {
            tls.certificateVerification = .none
        }
        if let roots = t.tls?.rootCAs, !roots.isEmpty {
            var certificates: [NIOSSLCertificate] = []
            for root in roots {
                do {
                    certificates += try NIOSSLCertificate.fromPEMBytes(Array(try root.read()))
                } catch {
                    logger.error("tcp serversTransport rootCAs entry skipped", metadata: ["serversTransport": "\(name)", "error": "\(error)"])
                }
            }
            if !certificates.isEmpty { tls.trustRoots = .certificates(certificates) }
        }
        if let pair = t.tls?.certificates?.first, let cert = pair.certFile, let key = pair.keyFile {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(try cert.read()))
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(try key.read()), format: .pem))
        }
        return TCPTransport(
            name: name,
            dialTimeout: t.effectiveDialTimeout.timeAmount,
            terminationDelay: t.effectiveTerminationDelay.timeAmount,
            proxyProtocol: t.proxyProtocol.map { ProxyProtocolVersion(rawValue: $0.version ?? 2) ?? .v2 },
            tlsContext: try NIOSSLContext(configuration: tls),
            serverName: t.tls?.serverName
        )
    }
}
