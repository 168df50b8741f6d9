import Config
import Foundation
import Logging
import Middlewares
import NIOCore
import NIOSSL
import Proxy
import Routing
import TLS

/// The result of turning a dynamic configuration into what the data plane serves.
public struct BuildResult: Sendable {
    public let snapshot: RuntimeSnapshot
    public let certificates: CertificateIndex
    public let activeRouters: Int
    public let disabledRouters: Int
    public let certificateCount: Int
    /// Every problem found, each naming its item; items with errors are left out of the snapshot.
    public let issues: [BuildIssue]
    /// The active health checks the snapshot's services ask for.
    let healthChecks: [HealthCheckTarget]
    /// The health of the snapshot's HTTP load-balancer servers, by service, then URL.
    var serverHealth: [String: [String: ServerHealth]] = [:]
}

/// A configuration item that was left out of the snapshot, and why.
public struct BuildIssue: Sendable, CustomStringConvertible {
    public let item: String
    public let message: String
    public var description: String { "\(item): \(message)" }
}

/// Builds a `RuntimeSnapshot` from plain configuration data, off the request path.
///
/// As in Traefik, errors are per item: a router with a bad rule, an unknown service or an
/// unavailable middleware is disabled and reported, and the rest is served.
public struct SnapshotBuilder: Sendable {
    let staticConfig: StaticConfiguration
    let logger: Logger
    /// Transports of the previous build, shared by copies of this builder.
    let transportCache = TransportCache()
    /// What the health checks know of each server, kept from one build to the next.
    let healthRegistry = HealthRegistry()

    public init(staticConfig: StaticConfiguration, logger: Logger) {
        self.staticConfig = staticConfig
        self.logger = logger
    }

    /// The routers' default entry points: those marked `asDefault`, else all TCP ones.
    var defaultEntryPoints: [String] { staticConfig.entryPoints.defaultRouterEntryPoints }

    public func build(_ dynamic: DynamicConfiguration, generation: Int) -> BuildResult {
        var issues: [BuildIssue] = []
        func report(_ item: String, _ message: String) {
            issues.append(BuildIssue(item: item, message: message))
            logger.error("configuration item disabled", metadata: ["item": "\(item)", "error": "\(message)"])
        }

        let transportNames = Set(dynamic.http.serversTransports.keys).union(["default"])
        let validation = dynamic.validate(entryPoints: staticConfig.entryPoints, serversTransportNames: transportNames)
        var invalidRouters: [String: String] = [:]
        var invalidServices: [String: String] = [:]
        var invalidUDPRouters: [String: String] = [:]
        var invalidUDPServices: [String: String] = [:]
        var invalidTCP = InvalidTCPItems()
        for issue in validation {
            guard issue.severity == .error, let item = issue.item else {
                logger.warning("configuration issue", metadata: ["issue": "\(issue)"])
                continue
            }
            switch item.kind {
            case .httpRouter: invalidRouters[item.name] = invalidRouters[item.name] ?? issue.description
            case .httpService: invalidServices[item.name] = invalidServices[item.name] ?? issue.description
            case .udpRouter: invalidUDPRouters[item.name] = invalidUDPRouters[item.name] ?? issue.description
            case .udpService: invalidUDPServices[item.name] = invalidUDPServices[item.name] ?? issue.description
            case .tcpRouter: invalidTCP.routers[item.name] = invalidTCP.routers[item.name] ?? issue.description
            case .tcpService: invalidTCP.services[item.name] = invalidTCP.services[item.name] ?? issue.description
            case .tcpMiddleware: invalidTCP.middlewares[item.name] = invalidTCP.middlewares[item.name] ?? issue.description
            default: logger.warning("configuration issue", metadata: ["issue": "\(issue)"])
            }
        }

        let tlsOptions = buildTLSOptions(dynamic, report: report)
        invalidRouters.merge(tlsOptions.disabledRouters) { first, _ in first }
        issues += tlsOptions.conflicts

        let http = dynamic.http
        let transports = buildTransports(http.serversTransports, report: report)

        // Services: built once, shared by every router that names them.
        var graph = ServiceGraphBuilder(configured: http.services, origins: dynamic.origins, invalid: invalidServices,
                                        transports: transports, health: healthRegistry)
        graph.buildAll(report: report)
        let services = graph.built
        healthRegistry.retain(services: graph.serversByService)

        // Middlewares: each built once, shared by the routers that list it.
        let errorPageGraph = graph
        let middlewareCatalog = MiddlewareCatalog(http.middlewares, origins: dynamic.origins,
                                                  errorPages: { errorPageGraph.errorPageSource($0) })

        // Routers, per entry point, split by TLS.
        var plain: [String: [Route<RouteTarget>]] = [:]
        var secure: [String: [Route<RouteTarget>]] = [:]
        var active = 0
        var disabled = 0
        for (name, router) in http.routers.sorted(by: { $0.key < $1.key }) {
            let provider = dynamic.provider(of: .httpRouter, name)
            let qualified = dynamic.qualifiedName(.httpRouter, name)
            let item = "router \"\(qualified)\""
            if let message = invalidRouters[name] {
                report(item, message)
                disabled += 1
                continue
            }
            let rule: Rule
            do {
                rule = try Rule.parse(router.rule ?? "")
            } catch {
                report(item, "rule \(router.rule.map { "\"\($0)\"" } ?? "(missing)"): \(error)")
                disabled += 1
                continue
            }
            let chain: MiddlewareChain
            do {
                chain = try middlewareCatalog.chain(for: router.middlewares ?? [], from: provider)
            } catch {
                report(item, "middleware \(error)")
                disabled += 1
                continue
            }
            let reference = router.service ?? ""
            guard let serviceName = dynamic.origins.resolvedName(reference, kind: .httpService, from: provider),
                  let service = services[serviceName] else {
                report(item, "service \"\(reference)\" is missing or disabled")
                disabled += 1
                continue
            }
            let target = RouteTarget(routerName: qualified, action: .forward(service), middlewares: chain)
            let route = Route(name: qualified, rule: rule, priority: router.priority, target: target)
            for entryPoint in router.entryPoints ?? defaultEntryPoints {
                if staticConfig.entryPoints.effectiveTLS(of: router, on: entryPoint) != nil {
                    secure[entryPoint, default: []].append(route)
                } else {
                    plain[entryPoint, default: []].append(route)
                }
            }
            active += 1
        }

        // Entry point redirections (web → websecure), as internal routers of the plaintext side.
        for (name, entryPoint) in staticConfig.entryPoints {
            guard let redirect = entryPoint.http?.redirections?.entryPoint else { continue }
            let targetName = redirect.to ?? ""
            let port: Int?
            if let target = staticConfig.entryPoints[targetName], let address = try? target.parsedAddress {
                port = address.port
            } else if let explicit = Int(targetName.drop(while: { $0 == ":" })) {
                port = explicit
            } else {
                report("entryPoint \"\(name)\"", "redirections.entryPoint.to names unknown entry point \"\(targetName)\"")
                continue
            }
            let scheme = redirect.effectiveScheme
            let rule = try! Rule.parse("PathPrefix(`/`)")
            let target = RouteTarget(
                routerName: "\(name)-to-\(targetName)@internal",
                action: .redirect(SchemeRedirect(scheme: scheme, port: port, permanent: redirect.permanent ?? true))
            )
            plain[name, default: []].append(Route(
                name: "\(name)-to-\(targetName)@internal", rule: rule, priority: redirect.priority ?? (Int.max - 1), target: target
            ))
        }

        let tcp = buildTCP(dynamic.tcp, origins: dynamic.origins, invalid: invalidTCP, report: report)
        active += tcp.activeRouters
        disabled += tcp.disabledRouters

        var tables: [String: EntryPointRoutes] = [:]
        for name in staticConfig.entryPoints.keys {
            tables[name] = EntryPointRoutes(plain: RouteTable(plain[name] ?? []), secure: RouteTable(secure[name] ?? []),
                                            tcp: tcp.routes[name] ?? .empty)
        }

        let udp = buildUDP(dynamic.udp, origins: dynamic.origins, invalidRouters: invalidUDPRouters, invalidServices: invalidUDPServices, report: report)

        let (index, certificateCount) = buildCertificates(dynamic.tls, selection: tlsOptions.selection, report: report)
        return BuildResult(
            snapshot: RuntimeSnapshot(generation: generation, entryPoints: tables, udp: udp.routes),
            certificates: index,
            activeRouters: active + udp.activeRouters,
            disabledRouters: disabled + udp.disabledRouters,
            certificateCount: certificateCount,
            issues: issues,
            healthChecks: graph.checks,
            serverHealth: Dictionary(uniqueKeysWithValues: graph.serversByService.map { service, urls in
                // The objects the build just made or kept: the same the load balancers read.
                (service, Dictionary(urls.map { ($0, healthRegistry.health(service: service, url: $0)) },
                                     uniquingKeysWith: { first, _ in first }))
            })
        )
    }

    /// `name@file` or `name@api` → `name`, for items not told apart by provider (servers
    /// transports, TLS options); other provider suffixes are kept (and so won't resolve).
    static func stripProvider(_ name: String) -> String {
        let reference = ItemReference(name, from: .file)
        return reference.provider == .file || reference.provider == .api ? reference.name : name
    }

    // MARK: Transports

    private func buildTransports(
        _ configured: [String: ServersTransport], report: (String, String) -> Void
    ) -> [String: UpstreamTransport] {
        var all = configured
        if all["default"] == nil {
            all["default"] = staticConfig.serversTransports["default"] ?? staticConfig.serversTransport ?? ServersTransport()
        }
        var out: [String: UpstreamTransport] = [:]
        var kept: [String: (configuration: ServersTransport, material: [Data], transport: UpstreamTransport)] = [:]
        for (name, transport) in all {
            do {
                let material = try TransportMaterial(name: name, transport, logger: logger)
                let made = try transportCache.transport(named: name, configuration: transport, material: material.contents)
                    ?? makeTransport(name: name, transport, material: material)
                out[Self.stripProvider(name)] = made
                kept[name] = (transport, material.contents, made)
            } catch {
                report("serversTransport \"\(name)\"", "\(error)")
            }
        }
        transportCache.replace(with: kept)
        return out
    }

    private func makeTransport(name: String, _ t: ServersTransport, material: TransportMaterial) throws -> UpstreamTransport {
        var tls = NIOSSL.TLSConfiguration.makeClientConfiguration()
        tls.applicationProtocols = ["http/1.1"]
        tls.minimumTLSVersion = .tlsv12
        tls.shutdownTimeout = TLSServerSettings.closeNotifyWait
        if t.insecureSkipVerify == true {
            tls.certificateVerification = .none
        }
        var roots: [NIOSSLCertificate] = []
        // As Traefik does: a root that cannot be parsed is logged and skipped; the transport
        // still serves (plain-HTTP backends never need it) with the roots that loaded.
        for (source, bytes) in material.rootCAs {
            do {
                roots += try NIOSSLCertificate.fromPEMBytes(Array(bytes))
            } catch {
                logger.error("serversTransport rootCAs entry skipped", metadata: [
                    "serversTransport": "\(name)", "rootCA": "\(source)", "error": "\(error)",
                ])
            }
        }
        if !roots.isEmpty { tls.trustRoots = .certificates(roots) }
        if let (cert, key) = material.clientCertificate {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(cert)).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key), format: .pem))
        }
        let timeouts = t.effectiveForwardingTimeouts
        let headerTimeout = timeouts.effectiveResponseHeaderTimeout
        return UpstreamTransport(
            name: name,
            tlsContext: try NIOSSLContext(configuration: tls),
            serverName: t.serverName,
            dialTimeout: timeouts.effectiveDialTimeout.timeAmount,
            responseHeaderTimeout: headerTimeout.isZero ? nil : headerTimeout.timeAmount,
            idleConnTimeout: timeouts.effectiveIdleConnTimeout.timeAmount,
            maxIdleConnsPerHost: t.effectiveMaxIdleConnsPerHost,
            tlsConfiguration: tls
        )
    }

    // MARK: Certificates

    private func buildCertificates(
        _ tls: Config.TLSConfiguration, selection: TLSOptionsSelection, report: (String, String) -> Void
    ) -> (CertificateIndex, Int) {
        var loaded: [ServerCertificate] = []
        for (i, pair) in tls.certificates.enumerated() {
            let item = "tls.certificates[\(i)]"
            do {
                loaded.append(try loadPair(certFile: pair.certFile, keyFile: pair.keyFile))
            } catch {
                report(item, "\(error)")
            }
        }
        var defaultCertificate: ServerCertificate? = nil
        if let pair = tls.stores["default"]?.defaultCertificate {
            do {
                defaultCertificate = try loadPair(certFile: pair.certFile, keyFile: pair.keyFile)
            } catch {
                report("tls.stores.default.defaultCertificate", "\(error)")
            }
        }
        let index: CertificateIndex
        do {
            index = try CertificateIndex(certificates: loaded, defaultCertificate: defaultCertificate, selection: selection)
        } catch {
            report("tls.options.default", "\(error); serving with the built-in default options")
            index = CertificateIndex(certificates: loaded, defaultCertificate: defaultCertificate)
        }
        for rejection in index.rejected {
            report("tls certificate", "\(rejection)")
        }
        return (index, index.certificates.count)
    }

    private func loadPair(certFile: FileOrContent?, keyFile: FileOrContent?) throws -> ServerCertificate {
        guard let certFile, let keyFile else { throw MissingKey(keys: "certFile and keyFile are both required") }
        return try ServerCertificate.load(certificatePEM: Array(try certFile.read()), keyPEM: Array(try keyFile.read()))
    }

    // MARK: Entry point settings

    /// Parsed `forwardedHeaders.trustedIPs`; bad entries are logged and skipped.
    public func trustedIPs(for name: String, _ entryPoint: EntryPoint) -> [IPNetwork] {
        (entryPoint.forwardedHeaders?.trustedIPs ?? []).compactMap { text in
            do {
                return try IPNetwork(parsing: text)
            } catch {
                logger.error("ignoring trustedIPs entry", metadata: ["entryPoint": "\(name)", "value": "\(text)", "error": "\(error)"])
                return nil
            }
        }
    }

    public func respondingTimeouts(_ entryPoint: EntryPoint) -> RespondingTimeouts {
        func amount(_ d: ConfigDuration) -> TimeAmount? { d.isZero || d.isNegative ? nil : d.timeAmount }
        return RespondingTimeouts(
            readTimeout: amount(entryPoint.readTimeout),
            writeTimeout: amount(entryPoint.writeTimeout),
            idleTimeout: amount(entryPoint.idleTimeout)
        )
    }

    /// The longest `transport.lifeCycle.graceTimeOut` of all entry points (default 10 s).
    public func longestGraceTimeout() -> TimeAmount {
        staticConfig.entryPoints.values
            .map { $0.graceTimeOut.timeAmount }
            .max() ?? .seconds(10)
    }
}

struct MissingKey: Error, CustomStringConvertible {
    let keys: String
    var description: String { keys }
}

extension ConfigDuration {
    /// As a NIO time amount.
    var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }
}
