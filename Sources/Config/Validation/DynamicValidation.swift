extension DynamicConfiguration {
    /// Services provided by Gatehouse itself, referable as `name@internal`.
    public static let internalServiceNames: Set<String> = [
        "api", "dashboard", "ping", "noop", "prometheus", "rest", "acme-http",
    ]

    /// Checks every reference in the configuration and returns one issue per problem,
    /// each naming the item (e.g. http router `api`) and the key path, so the runtime
    /// can disable just that item.
    ///
    /// Checked: routers' services, middlewares, entry points, TLS options and rules;
    /// services' servers (present, valid URLs/addresses), serversTransports and the
    /// services they refer to (weighted, mirroring, failover), including cycles;
    /// middlewares' references (chain, errors); TLS certificates and stores.
    ///
    /// References may carry a provider suffix: `name@file` and `name@api` name that provider's
    /// item `name` (a bare `name` names the referring item's own provider's, see
    /// ``ItemOrigins``); `name@internal` is one of ``internalServiceNames``; any other provider
    /// is reported as unknown. TLS options and servers transports are not told apart by
    /// provider (only the file provider defines them).
    ///
    /// - Parameters:
    ///   - entryPointNames: the entry points of the static configuration.
    ///   - serversTransportNames: extra transport names defined elsewhere (e.g. the static
    ///     `serversTransports`), accepted in `loadBalancer.serversTransport`.
    ///   - certResolverNames: the static configuration's certificate resolvers; when given,
    ///     routers' and TLS stores' `certResolver`/`resolver` names are checked against it.
    public func validate(
        entryPointNames: Set<String>, serversTransportNames: Set<String> = [], certResolverNames: Set<String>? = nil
    ) -> [ConfigIssue] {
        var validator = Validator(configuration: self, entryPoints: [:],
                                  knownEntryPoints: entryPointNames, extraTransports: serversTransportNames,
                                  certResolvers: certResolverNames)
        validator.run()
        return validator.issues
    }

    /// Like ``validate(entryPointNames:serversTransportNames:certResolverNames:)``, and also checks
    /// that HTTP and TCP routers use TCP entry points and UDP routers use UDP ones.
    public func validate(
        entryPoints: [String: EntryPoint], serversTransportNames: Set<String> = [], certResolverNames: Set<String>? = nil
    ) -> [ConfigIssue] {
        var transports: [String: EntryPointAddress.Transport?] = [:]
        for (name, entryPoint) in entryPoints {
            transports[name] = (try? entryPoint.parsedAddress)?.transport
        }
        var validator = Validator(configuration: self, entryPoints: transports,
                                  knownEntryPoints: Set(entryPoints.keys), extraTransports: serversTransportNames,
                                  certResolvers: certResolverNames)
        validator.run()
        return validator.issues
    }
}

private struct Validator {
    let configuration: DynamicConfiguration
    /// Entry point name → transport, when known.
    let entryPoints: [String: EntryPointAddress.Transport?]
    let knownEntryPoints: Set<String>
    let extraTransports: Set<String>
    let certResolvers: Set<String>?
    var issues: [ConfigIssue] = []

    init(configuration: DynamicConfiguration, entryPoints: [String: EntryPointAddress.Transport?],
         knownEntryPoints: Set<String>, extraTransports: Set<String>, certResolvers: Set<String>?) {
        self.configuration = configuration
        self.entryPoints = entryPoints
        self.knownEntryPoints = knownEntryPoints
        self.extraTransports = extraTransports
        self.certResolvers = certResolvers
    }

    mutating func run() {
        validateHTTPRouters()
        validateHTTPServices()
        validateHTTPMiddlewares()
        validateTCP()
        validateUDP()
        validateTLS()
    }

    // MARK: Helpers

    private mutating func report(_ kind: ConfigItemKind, _ name: String, _ keyPath: String, _ message: String,
                                 severity: ConfigIssue.Severity = .error) {
        issues.append(ConfigIssue(severity: severity, item: ConfigItem(kind: kind, name: name),
                                  keyPath: keyPath, message: message))
    }

    private enum Resolution {
        case local(String, ConfigProvider)
        case `internal`(String)
        case unknownProvider(String)
    }

    private func resolve(_ reference: String, from referrer: ConfigProvider = .file) -> Resolution {
        let parsed = ItemReference(reference, from: referrer)
        if parsed.provider == .internal { return .internal(parsed.name) }
        guard parsed.isKnownProvider else { return .unknownProvider(parsed.provider.name) }
        return .local(parsed.name, parsed.provider)
    }

    /// Checks a reference written in the item `kind`/`name` against local names; returns the
    /// local name when it resolves. With a `target` kind, the named item must also belong to the
    /// reference's provider (a bare name: the referring item's own provider).
    @discardableResult
    private mutating func checkReference(
        _ reference: String, what: String, localNames: Set<String>, internalNames: Set<String> = [],
        target: ConfigItemKind? = nil, item kind: ConfigItemKind, _ name: String, _ keyPath: String
    ) -> String? {
        switch resolve(reference, from: configuration.provider(of: kind, name)) {
        case .local(let local, let provider):
            let exists = localNames.contains(local)
            if exists, target.map({ configuration.provider(of: $0, local) == provider }) ?? true { return local }
            var message = "unknown \(what) \"\(reference)\""
            if exists, let target {
                message += "; there is \"\(configuration.qualifiedName(target, local))\""
            } else if let close = KeySuggestion.closest(to: local, in: localNames.sorted()) {
                message += "; did you mean \"\(close)\"?"
            }
            report(kind, name, keyPath, message)
        case .internal(let local):
            if internalNames.contains(local) { return nil }
            report(kind, name, keyPath, "unknown internal \(what) \"\(reference)\"")
        case .unknownProvider(let provider):
            let known = ConfigProvider.known.map { "@\($0)" }
            let list = known.dropLast().joined(separator: ", ") + " and " + known[known.count - 1]
            report(kind, name, keyPath, "\(what) \"\(reference)\" refers to provider \"\(provider)\", which Gatehouse does not have (only \(list))")
        }
        return nil
    }

    private mutating func checkEntryPoints(_ list: [String]?, expected: EntryPointAddress.Transport,
                                           _ kind: ConfigItemKind, _ name: String, _ prefix: String) {
        for (index, entryPoint) in (list ?? []).enumerated() {
            let keyPath = "\(prefix).entryPoints[\(index)]"
            if !knownEntryPoints.contains(entryPoint) {
                var message = "unknown entry point \"\(entryPoint)\""
                if let close = KeySuggestion.closest(to: entryPoint, in: knownEntryPoints.sorted()) {
                    message += "; did you mean \"\(close)\"?"
                }
                report(kind, name, keyPath, message)
            } else if let known = entryPoints[entryPoint], let transport = known, transport != expected {
                report(kind, name, keyPath, "entry point \"\(entryPoint)\" listens on \(transport.rawValue), not \(expected.rawValue)")
            }
        }
    }

    private mutating func checkRule(_ rule: String?, syntax: String?, _ kind: ConfigItemKind, _ name: String, _ prefix: String) {
        if (rule ?? "").trimmingWhitespace().isEmpty {
            report(kind, name, "\(prefix).rule", "missing rule")
        }
        if let syntax, syntax != "v2" && syntax != "v3" {
            report(kind, name, "\(prefix).ruleSyntax", "unknown rule syntax \"\(syntax)\" (expected v3 or v2)")
        }
    }

    private mutating func checkTLSOptions(_ tls: RouterTLS?, _ kind: ConfigItemKind, _ name: String, _ prefix: String) {
        if let resolver = tls?.certResolver {
            checkResolver(resolver, kind, name, "\(prefix).tls.certResolver")
        }
        guard let options = tls?.options else { return }
        var known = Set(configuration.tls.options.keys)
        known.insert("default")
        checkReference(options, what: "TLS options", localNames: known, item: kind, name, "\(prefix).tls.options")
    }

    private mutating func checkResolver(_ resolver: String, _ kind: ConfigItemKind, _ name: String, _ keyPath: String) {
        guard let certResolvers, !certResolvers.contains(resolver) else { return }
        var message = "unknown certificate resolver \"\(resolver)\""
        if let close = KeySuggestion.closest(to: resolver, in: certResolvers.sorted()) {
            message += "; did you mean \"\(close)\"?"
        }
        report(kind, name, keyPath, message)
    }

    // MARK: HTTP

    private mutating func validateHTTPRouters() {
        let services = Set(configuration.http.services.keys)
        let middlewares = Set(configuration.http.middlewares.keys)
        for (name, router) in configuration.http.routers.sorted(by: { $0.key < $1.key }) {
            let prefix = "http.routers.\(name)"
            checkRule(router.rule, syntax: router.ruleSyntax, .httpRouter, name, prefix)
            if let service = router.service, !service.isEmpty {
                checkReference(service, what: "service", localNames: services,
                               internalNames: DynamicConfiguration.internalServiceNames, target: .httpService,
                               item: .httpRouter, name, "\(prefix).service")
            } else {
                report(.httpRouter, name, "\(prefix).service", "missing service")
            }
            for (index, middleware) in (router.middlewares ?? []).enumerated() {
                checkReference(middleware, what: "middleware", localNames: middlewares, target: .httpMiddleware,
                               item: .httpRouter, name, "\(prefix).middlewares[\(index)]")
            }
            checkEntryPoints(router.entryPoints, expected: .tcp, .httpRouter, name, prefix)
            checkTLSOptions(router.tls, .httpRouter, name, prefix)
        }
    }

    private mutating func validateHTTPServices() {
        let services = Set(configuration.http.services.keys)
        let transports = Set(configuration.http.serversTransports.keys).union(extraTransports)
        let internalServices = DynamicConfiguration.internalServiceNames
        for (name, service) in configuration.http.services.sorted(by: { $0.key < $1.key }) {
            let prefix = "http.services.\(name)"
            switch service {
            case .loadBalancer(let lb):
                let lbPrefix = "\(prefix).loadBalancer"
                let servers = lb.servers ?? []
                if servers.isEmpty {
                    report(.httpService, name, "\(lbPrefix).servers", "load balancer has no servers")
                }
                for (index, server) in servers.enumerated() {
                    let keyPath = "\(lbPrefix).servers[\(index)].url"
                    if let url = server.url, !url.isEmpty {
                        if let problem = BackendAddress.problem(withServerURL: url) {
                            report(.httpService, name, keyPath, problem)
                        }
                    } else {
                        report(.httpService, name, keyPath, "server has no url")
                    }
                    if let weight = server.weight, weight < 0 {
                        report(.httpService, name, "\(lbPrefix).servers[\(index)].weight", "negative weight \(weight)")
                    }
                }
                if let transport = lb.serversTransport {
                    checkReference(transport, what: "serversTransport", localNames: transports,
                                   internalNames: ["default"], item: .httpService, name, "\(lbPrefix).serversTransport")
                }
                if let mode = lb.healthCheck?.mode, !["http", "grpc"].contains(mode.lowercased()) {
                    report(.httpService, name, "\(lbPrefix).healthCheck.mode", "unknown health check mode \"\(mode)\" (expected http or grpc)")
                }
            case .weighted(let weighted):
                let list = weighted.services ?? []
                if list.isEmpty {
                    report(.httpService, name, "\(prefix).weighted.services", "weighted service has no services")
                }
                for (index, child) in list.enumerated() {
                    let keyPath = "\(prefix).weighted.services[\(index)].name"
                    if let childName = child.name {
                        checkReference(childName, what: "service", localNames: services, internalNames: internalServices,
                                       target: .httpService, item: .httpService, name, keyPath)
                    } else {
                        report(.httpService, name, keyPath, "missing service name")
                    }
                }
            case .mirroring(let mirroring):
                if let main = mirroring.service {
                    checkReference(main, what: "service", localNames: services, internalNames: internalServices,
                                   target: .httpService, item: .httpService, name, "\(prefix).mirroring.service")
                } else {
                    report(.httpService, name, "\(prefix).mirroring.service", "missing service")
                }
                for (index, mirror) in (mirroring.mirrors ?? []).enumerated() {
                    let keyPath = "\(prefix).mirroring.mirrors[\(index)]"
                    if let mirrorName = mirror.name {
                        checkReference(mirrorName, what: "service", localNames: services, internalNames: internalServices,
                                       target: .httpService, item: .httpService, name, "\(keyPath).name")
                    } else {
                        report(.httpService, name, "\(keyPath).name", "missing service name")
                    }
                    if let percent = mirror.percent, !(0...100).contains(percent) {
                        report(.httpService, name, "\(keyPath).percent", "percent must be between 0 and 100, found \(percent)")
                    }
                }
            case .failover(let failover):
                for (key, value) in [("service", failover.service), ("fallback", failover.fallback)] {
                    if let value {
                        checkReference(value, what: "service", localNames: services, internalNames: internalServices,
                                       target: .httpService, item: .httpService, name, "\(prefix).failover.\(key)")
                    } else {
                        report(.httpService, name, "\(prefix).failover.\(key)", "missing \(key)")
                    }
                }
            }
        }
        // Cycles through weighted, mirroring and failover services.
        let graph = configuration.http.services.mapValues { service in
            service.referencedServices.compactMap { reference -> String? in
                if case .local(let local, _) = resolve(reference) { return local }
                return nil
            }
        }
        for name in Self.namesInCycles(graph) {
            report(.httpService, name, "http.services.\(name)", "service refers back to itself through other services")
        }
    }

    private mutating func validateHTTPMiddlewares() {
        let middlewares = Set(configuration.http.middlewares.keys)
        let services = Set(configuration.http.services.keys)
        for (name, middleware) in configuration.http.middlewares.sorted(by: { $0.key < $1.key }) {
            let prefix = "http.middlewares.\(name)"
            switch middleware {
            case .chain(let chain):
                for (index, reference) in (chain.middlewares ?? []).enumerated() {
                    checkReference(reference, what: "middleware", localNames: middlewares, target: .httpMiddleware,
                                   item: .httpMiddleware, name, "\(prefix).chain.middlewares[\(index)]")
                }
            case .errors(let errors):
                if let service = errors.service {
                    checkReference(service, what: "service", localNames: services,
                                   internalNames: DynamicConfiguration.internalServiceNames, target: .httpService,
                                   item: .httpMiddleware, name, "\(prefix).errors.service")
                } else {
                    report(.httpMiddleware, name, "\(prefix).errors.service", "missing service")
                }
            default:
                break
            }
        }
        let graph = configuration.http.middlewares.mapValues { middleware in
            middleware.referencedMiddlewares.compactMap { reference -> String? in
                if case .local(let local, _) = resolve(reference) { return local }
                return nil
            }
        }
        for name in Self.namesInCycles(graph) {
            report(.httpMiddleware, name, "http.middlewares.\(name)", "middleware chain refers back to itself")
        }
    }

    // MARK: TCP

    private mutating func validateTCP() {
        let tcp = configuration.tcp
        let services = Set(tcp.services.keys)
        let middlewares = Set(tcp.middlewares.keys)
        for (name, router) in tcp.routers.sorted(by: { $0.key < $1.key }) {
            let prefix = "tcp.routers.\(name)"
            checkRule(router.rule, syntax: router.ruleSyntax, .tcpRouter, name, prefix)
            if let service = router.service, !service.isEmpty {
                checkReference(service, what: "TCP service", localNames: services, target: .tcpService, item: .tcpRouter, name, "\(prefix).service")
            } else {
                report(.tcpRouter, name, "\(prefix).service", "missing service")
            }
            for (index, middleware) in (router.middlewares ?? []).enumerated() {
                checkReference(middleware, what: "TCP middleware", localNames: middlewares, target: .tcpMiddleware,
                               item: .tcpRouter, name, "\(prefix).middlewares[\(index)]")
            }
            checkEntryPoints(router.entryPoints, expected: .tcp, .tcpRouter, name, prefix)
            checkTLSOptions(router.tls, .tcpRouter, name, prefix)
        }
        let transports = Set(tcp.serversTransports.keys)
        for (name, service) in tcp.services.sorted(by: { $0.key < $1.key }) {
            let prefix = "tcp.services.\(name)"
            switch service {
            case .loadBalancer(let lb):
                let servers = lb.servers ?? []
                if servers.isEmpty {
                    report(.tcpService, name, "\(prefix).loadBalancer.servers", "load balancer has no servers")
                }
                for (index, server) in servers.enumerated() {
                    let keyPath = "\(prefix).loadBalancer.servers[\(index)].address"
                    if let problem = BackendAddress.problem(withAddress: server.address ?? "") {
                        report(.tcpService, name, keyPath, problem)
                    }
                }
                if let transport = lb.serversTransport {
                    checkReference(transport, what: "TCP serversTransport", localNames: transports,
                                   internalNames: ["default"], item: .tcpService, name, "\(prefix).loadBalancer.serversTransport")
                }
            case .weighted(let weighted):
                validateWeighted(weighted.services, services: services, kind: .tcpService, name, "\(prefix).weighted.services")
            }
        }
        let graph = tcp.services.mapValues { service -> [String] in
            guard case .weighted(let weighted) = service else { return [] }
            return (weighted.services ?? []).compactMap(\.name).compactMap { reference in
                if case .local(let local, _) = resolve(reference) { return local }
                return nil
            }
        }
        for name in Self.namesInCycles(graph) {
            report(.tcpService, name, "tcp.services.\(name)", "service refers back to itself through other services")
        }
        for (name, middleware) in tcp.middlewares.sorted(by: { $0.key < $1.key }) {
            if case .ipAllowList(let allow) = middleware, (allow.sourceRange ?? []).isEmpty {
                report(.tcpMiddleware, name, "tcp.middlewares.\(name).ipAllowList.sourceRange", "empty sourceRange")
            }
        }
    }

    private mutating func validateWeighted(_ list: [HTTPService.WeightedService]?, services: Set<String>,
                                           kind: ConfigItemKind, _ name: String, _ prefix: String) {
        let list = list ?? []
        if list.isEmpty {
            report(kind, name, prefix, "weighted service has no services")
        }
        for (index, child) in list.enumerated() {
            if let childName = child.name {
                checkReference(childName, what: "service", localNames: services, target: kind, item: kind, name, "\(prefix)[\(index)].name")
            } else {
                report(kind, name, "\(prefix)[\(index)].name", "missing service name")
            }
        }
    }

    // MARK: UDP

    private mutating func validateUDP() {
        let udp = configuration.udp
        let services = Set(udp.services.keys)
        for (name, router) in udp.routers.sorted(by: { $0.key < $1.key }) {
            let prefix = "udp.routers.\(name)"
            if let service = router.service, !service.isEmpty {
                checkReference(service, what: "UDP service", localNames: services, target: .udpService, item: .udpRouter, name, "\(prefix).service")
            } else {
                report(.udpRouter, name, "\(prefix).service", "missing service")
            }
            checkEntryPoints(router.entryPoints, expected: .udp, .udpRouter, name, prefix)
        }
        for (name, service) in udp.services.sorted(by: { $0.key < $1.key }) {
            let prefix = "udp.services.\(name)"
            switch service {
            case .loadBalancer(let lb):
                let servers = lb.servers ?? []
                if servers.isEmpty {
                    report(.udpService, name, "\(prefix).loadBalancer.servers", "load balancer has no servers")
                }
                for (index, server) in servers.enumerated() {
                    if let problem = BackendAddress.problem(withAddress: server.address ?? "") {
                        report(.udpService, name, "\(prefix).loadBalancer.servers[\(index)].address", problem)
                    }
                }
            case .weighted(let weighted):
                validateWeighted(weighted.services, services: services, kind: .udpService, name, "\(prefix).weighted.services")
            }
        }
    }

    // MARK: TLS

    private mutating func validateTLS() {
        let tls = configuration.tls
        for (index, certificate) in tls.certificates.enumerated() {
            let prefix = "tls.certificates[\(index)]"
            if certificate.certFile == nil {
                report(.tlsCertificate, String(index), "\(prefix).certFile", "missing certFile")
            }
            if certificate.keyFile == nil {
                report(.tlsCertificate, String(index), "\(prefix).keyFile", "missing keyFile")
            }
            for (storeIndex, store) in (certificate.stores ?? []).enumerated() where store != "default" {
                report(.tlsCertificate, String(index), "\(prefix).stores[\(storeIndex)]",
                       "store \"\(store)\" is not used; only the \"default\" store is", severity: .warning)
            }
        }
        for (name, store) in tls.stores.sorted(by: { $0.key < $1.key }) {
            let prefix = "tls.stores.\(name)"
            if name != "default" {
                report(.tlsStore, name, prefix, "only the \"default\" store is used", severity: .warning)
            }
            if let resolver = store.defaultGeneratedCert?.resolver {
                checkResolver(resolver, .tlsStore, name, "\(prefix).defaultGeneratedCert.resolver")
            }
            if let pair = store.defaultCertificate, pair.certFile == nil || pair.keyFile == nil {
                report(.tlsStore, name, "\(prefix).defaultCertificate", "defaultCertificate needs both certFile and keyFile")
            }
        }
        for (name, options) in tls.options.sorted(by: { $0.key < $1.key }) {
            let prefix = "tls.options.\(name)"
            let order = TLSConfiguration.Options.knownVersions
            if let min = options.minVersion, let max = options.maxVersion,
               let minIndex = order.firstIndex(of: min), let maxIndex = order.firstIndex(of: max), minIndex > maxIndex {
                report(.tlsOptions, name, prefix, "minVersion \(min) is above maxVersion \(max)")
            }
        }
    }

    // MARK: Cycles

    /// Names that can reach themselves in a reference graph.
    static func namesInCycles(_ graph: [String: [String]]) -> [String] {
        var result: [String] = []
        for start in graph.keys.sorted() {
            var stack = graph[start] ?? []
            var seen = Set<String>()
            while let next = stack.popLast() {
                if next == start { result.append(start); break }
                if seen.insert(next).inserted { stack += graph[next] ?? [] }
            }
        }
        return result
    }
}
