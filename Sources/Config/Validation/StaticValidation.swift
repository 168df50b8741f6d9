extension StaticConfiguration {
    /// Checks the static configuration's internal references and returns one issue per problem.
    ///
    /// Checked: entry point addresses (parseable, no two entry points on the same address),
    /// redirection targets (an entry point name or a port), `http.maxHeaderBytes` (positive),
    /// entry point TLS resolvers,
    /// ACME resolvers (a challenge is configured; the HTTP-01 entry point exists), and the
    /// file provider (exactly one of `filename` and `directory`).
    ///
    /// - Parameter dnsProviders: the names `dnsChallenge.provider` accepts (the DNS provider
    ///   registry's, which this module does not know); `nil` checks only that one is set.
    public func validate(dnsProviders: [String]? = nil) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func report(_ kind: ConfigItemKind, _ name: String, _ keyPath: String, _ message: String) {
            issues.append(ConfigIssue(item: ConfigItem(kind: kind, name: name), keyPath: keyPath, message: message))
        }
        let names = Set(entryPoints.keys)
        var bound: [EntryPointAddress: String] = [:]
        for (name, entryPoint) in entryPoints.sorted(by: { $0.key < $1.key }) {
            let prefix = "entryPoints.\(name)"
            do {
                let address = try entryPoint.parsedAddress
                if let other = bound[address] {
                    report(.entryPoint, name, "\(prefix).address", "address \"\(entryPoint.address)\" is also used by entry point \"\(other)\"")
                } else {
                    bound[address] = name
                }
            } catch {
                report(.entryPoint, name, "\(prefix).address", error.message)
            }
            if let to = entryPoint.http?.redirections?.entryPoint?.to {
                let isPort = to.hasPrefix(":") ? Int(to.dropFirst()) != nil : Int(to) != nil
                if !names.contains(to) && !isPort {
                    report(.entryPoint, name, "\(prefix).http.redirections.entryPoint.to",
                           "redirection target \"\(to)\" is neither an entry point nor a port")
                }
            }
            if let bytes = entryPoint.http?.maxHeaderBytes, bytes < 1 {
                report(.entryPoint, name, "\(prefix).http.maxHeaderBytes", "must be a positive number of bytes, got \(bytes)")
            }
            if let resolver = entryPoint.http?.tls?.certResolver, certificatesResolvers[resolver] == nil {
                report(.entryPoint, name, "\(prefix).http.tls.certResolver", "unknown certificate resolver \"\(resolver)\"")
            }
        }
        for (name, resolver) in certificatesResolvers.sorted(by: { $0.key < $1.key }) {
            let prefix = "certificatesResolvers.\(name)"
            guard let acme = resolver.acme else {
                report(.certificatesResolver, name, prefix, "resolver has no acme section")
                continue
            }
            if acme.httpChallenge == nil && acme.tlsChallenge == nil && acme.dnsChallenge == nil {
                report(.certificatesResolver, name, "\(prefix).acme",
                       "no challenge configured (httpChallenge, tlsChallenge or dnsChallenge)")
            }
            if let challenge = acme.httpChallenge {
                if let entryPoint = challenge.entryPoint, !entryPoint.isEmpty {
                    if !names.contains(entryPoint) {
                        report(.certificatesResolver, name, "\(prefix).acme.httpChallenge.entryPoint",
                               "unknown entry point \"\(entryPoint)\"")
                    }
                } else {
                    report(.certificatesResolver, name, "\(prefix).acme.httpChallenge.entryPoint", "missing entry point")
                }
            }
            if let dns = acme.dnsChallenge {
                for (keyPath, message) in dns.problems(knownProviders: dnsProviders) {
                    report(.certificatesResolver, name, "\(prefix).acme.dnsChallenge\(keyPath)", message)
                }
            }
            for (keyPath, message) in acme.fieldProblems() {
                report(.certificatesResolver, name, "\(prefix).acme.\(keyPath)", message)
            }
        }
        if let address = dnsServer?.address {
            do {
                _ = try EntryPointAddress(parsing: address)
            } catch {
                report(.dnsServer, "dnsServer", "dnsServer.address", error.message)
            }
        }
        if let file = providers?.file, file.filename == nil, file.directory == nil {
            report(.provider, "file", "providers.file", "set \"filename\" or \"directory\"")
        }
        return issues
    }
}
