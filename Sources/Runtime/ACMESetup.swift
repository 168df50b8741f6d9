import ACME
import Certificates
import Config
import DNS
import DNSProviders
import Foundation
import Logging
import Proxy
import Routing
import SwiftASN1
import X509

/// Turns the static configuration's certificate resolvers into ``Certificates/ResolverSettings``
/// and routers into ``Certificates/CertificateDemand``s.
public enum ACMESetup {
    /// The usable resolvers, and the problems of those left out (each naming its key), without
    /// making DNS providers: resolvers with `dnsChallenge` get `dnsProvider` (`nil` where DNS-01
    /// is never solved, as for listing and revoking certificates from the command line).
    ///
    /// A resolver with a configuration error (a malformed e-mail, an unknown key type, an
    /// unreadable CA certificate …) is left out: routers naming it get the default certificate,
    /// everything else runs.
    public static func resolvers(
        _ config: StaticConfiguration, dnsProvider: (any DNSChallengeProvider)?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (resolvers: [ResolverSettings], problems: [String]) {
        var (out, problems) = settings(config, environment: environment, dnsProviders: DNSProviderRegistry.names)
        for index in out.indices where out[index].challengeTypes.contains(.dns01) {
            out[index].dnsProvider = dnsProvider
        }
        return (out, problems)
    }

    /// The usable resolvers with their DNS providers made by `dns` (see ``DNSProviderSetup``),
    /// and the problems of those left out. A resolver whose provider cannot be made (an unknown
    /// name, a missing variable, an unreadable credentials file) is left out with the
    /// provider's message; the rest run.
    ///
    /// Propagation timing: `propagation.timeout` and `propagation.interval`, else the provider's
    /// `<PREFIX>_PROPAGATION_TIMEOUT` and `<PREFIX>_POLLING_INTERVAL`, else 2 minutes and 2
    /// seconds (``Certificates/PropagationSettings/applyProviderTuning(timeout:interval:)``; the
    /// same rule holds for a certificate's own stored DNS credential).
    public static func resolvers(
        _ config: StaticConfiguration, dns: DNSProviderSetup
    ) async -> (resolvers: [ResolverSettings], problems: [String]) {
        let (candidates, settingsProblems) = settings(config, environment: dns.environment, dnsProviders: dns.names)
        var problems = settingsProblems
        var out: [ResolverSettings] = []
        for var resolver in candidates {
            guard resolver.challengeTypes.contains(.dns01), let challenge = config.certificatesResolvers[resolver.name]?.acme?.dnsChallenge else {
                out.append(resolver)
                continue
            }
            do {
                let built = try await dns.provider(resolver: resolver.name, challenge)
                resolver.dnsProvider = built.provider
                resolver.propagation.applyProviderTuning(timeout: built.tuning.propagationTimeout.map { .seconds($0) },
                                                         interval: built.tuning.pollingInterval.map { .seconds($0) })
                out.append(resolver)
            } catch {
                problems.append(error.description)
            }
        }
        return (out, problems)
    }

    /// Every resolver's settings but its DNS provider.
    static func settings(
        _ config: StaticConfiguration, environment: [String: String], dnsProviders: [String]
    ) -> (resolvers: [ResolverSettings], problems: [String]) {
        var problems: [String] = []
        let invalid = Set(config.validate(dnsProviders: dnsProviders).compactMap { issue -> String? in
            guard issue.severity == .error, let item = issue.item, item.kind == .certificatesResolver else { return nil }
            problems.append("\(issue.keyPath): \(issue.message)")
            return item.name
        })
        var sharedRoots: [Certificate] = []
        let transportRoots = (config.serversTransports["default"]?.rootCAs ?? []) + (config.serversTransport?.rootCAs ?? [])
        for (index, root) in transportRoots.enumerated() {
            do {
                sharedRoots += try certificates(in: String(decoding: try root.read(), as: UTF8.self))
            } catch {
                problems.append("serversTransports.default.rootCAs[\(index)]: \(error)")
            }
        }
        var out: [ResolverSettings] = []
        for (name, resolver) in config.certificatesResolvers.sorted(by: { $0.key < $1.key }) where !invalid.contains(name) {
            guard let acme = resolver.acme else { continue }
            var roots = sharedRoots
            var rootsOK = true
            for (index, entry) in (acme.caCertificates ?? []).enumerated() {
                do {
                    let text = entry.hasPrefix("-----BEGIN") ? entry : try String(contentsOfFile: entry, encoding: .utf8)
                    roots += try certificates(in: text)
                } catch {
                    problems.append("certificatesResolvers.\(name).acme.caCertificates[\(index)]: cannot read \"\(entry)\": \(error)")
                    rootsOK = false
                }
            }
            guard rootsOK, let keyType = ACMEPrivateKey.KeyType(name: acme.effectiveKeyType.uppercased()) else { continue }
            var types: [ACMEChallenge.ChallengeType] = []
            if acme.tlsChallenge != nil { types.append(.tlsALPN01) }
            if acme.httpChallenge != nil { types.append(.http01) }
            if acme.dnsChallenge != nil { types.append(.dns01) }
            var propagation = PropagationSettings()
            if let dns = acme.dnsChallenge {
                let prefix = "certificatesResolvers.\(name).acme.dnsChallenge"
                guard let found = dnsResolvers(dns, keyPath: "\(prefix).resolvers", environment: environment, problems: &problems) else { continue }
                propagation.resolvers = found
                propagation.delayBeforeChecks = dns.effectiveDelayBeforeChecks?.duration ?? .zero
                propagation.disableChecks = dns.effectiveDisableChecks
                propagation.requireAllResolvers = dns.propagation?.requireAllRNS ?? false
                propagation.disableAuthoritativeChecks = dns.propagation?.disableANSChecks ?? false
                if let timeout = dns.propagation?.timeout {
                    propagation.timeout = timeout.duration
                    propagation.timeoutIsConfigured = true
                }
                if let interval = dns.propagation?.interval {
                    propagation.interval = interval.duration
                    propagation.intervalIsConfigured = true
                }
            } else {
                // DNS-01 with a certificate's own stored DNS credential (`dns_credential`):
                // the defaults, checked through the resolvers of GATEHOUSE_ACME_DNS_RESOLVERS.
                propagation.resolvers = environmentResolvers(environment).resolvers.filter { $0.host != nil }.map(\.description)
            }
            var eab: (keyID: String, macKey: String)?
            if let kid = acme.eab?.kid, let mac = acme.eab?.hmacEncoded { eab = (kid, mac) }
            out.append(ResolverSettings(
                name: name,
                directoryURL: acme.effectiveCAServer,
                email: acme.email.flatMap { $0.isEmpty ? nil : $0 },
                keyType: keyType,
                externalAccountBinding: eab,
                challengeTypes: types,
                propagation: propagation,
                preferredChain: acme.preferredChain,
                profile: acme.profile,
                certificatesDuration: acme.effectiveCertificatesDuration,
                trustRoots: roots,
                acmeJSONPath: acme.storage
            ))
        }
        return (out, problems)
    }

    /// The environment variable with resolvers for every `dnsChallenge` that sets none:
    /// `GATEHOUSE_ACME_DNS_RESOLVERS="1.1.1.1:53,1.0.0.1:53"`.
    public static let resolversVariable = "GATEHOUSE_ACME_DNS_RESOLVERS"

    /// The entries of ``resolversVariable`` in `environment`, trimmed, empty ones left out.
    static func environmentResolverEntries(_ environment: [String: String]) -> [String] {
        (environment[resolversVariable] ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The resolvers ``resolversVariable`` names in `environment` (none: the system's), and a
    /// problem for each entry that is not an address, naming the variable.
    public static func environmentResolvers(_ environment: [String: String]) -> (resolvers: [DNSAddress], problems: [String]) {
        var resolvers: [DNSAddress] = [], problems: [String] = []
        for text in environmentResolverEntries(environment) {
            do {
                resolvers.append(try DNSAddress(parsing: text))
            } catch {
                problems.append("\(resolversVariable): \"\(text)\": \(error)")
            }
        }
        return (resolvers, problems)
    }

    /// `dnsChallenge.resolvers`, else the addresses in ``resolversVariable``, else none (the
    /// system's); `nil` after adding a problem when one is not an address.
    static func dnsResolvers(
        _ dns: CertificatesResolver.DNSChallenge, keyPath: String, environment: [String: String], problems: inout [String]
    ) -> [String]? {
        var entries: [(keyPath: String, text: String)] = []
        if let configured = dns.resolvers, !configured.isEmpty {
            entries = configured.enumerated().map { ("\(keyPath)[\($0.offset)]", $0.element) }
        } else {
            entries = environmentResolverEntries(environment).map { (resolversVariable, $0) }
        }
        var found: [String] = []
        for (path, text) in entries {
            do {
                let address = try DNSAddress(parsing: text)
                guard address.host != nil else {
                    problems.append("\(path): \"\(text)\" has no host (give the resolver's IP address)")
                    return nil
                }
                found.append(address.description)
            } catch {
                problems.append("\(path): \"\(text)\" is not a resolver address (host:port): \(error)")
                return nil
            }
        }
        return found
    }

    /// Whether any resolver answers DNS-01 with the built-in DNS server (as its provider or one
    /// of its `providers`).
    public static func usesBuiltinDNS(_ config: StaticConfiguration) -> Bool {
        config.certificatesResolvers.values.contains { resolver in
            guard let dns = resolver.acme?.dnsChallenge else { return false }
            return ([dns.provider] + (dns.providers ?? []).map(\.provider)).contains { $0?.lowercased() == "builtin" }
        }
    }

    /// The entry points that answer HTTP-01 challenges (`httpChallenge.entryPoint`).
    public static func httpChallengeEntryPoints(_ config: StaticConfiguration) -> Set<String> {
        Set(config.certificatesResolvers.values.compactMap { $0.acme?.httpChallenge?.entryPoint })
    }

    /// Whether any resolver answers TLS-ALPN-01.
    public static func usesTLSChallenge(_ config: StaticConfiguration) -> Bool {
        config.certificatesResolvers.values.contains { $0.acme?.tlsChallenge != nil }
    }

    /// The certificates routers ask resolvers for: per router with `tls.certResolver`, one set
    /// per `tls.domains` entry (main, then sans), else the names of its rule's `Host()`
    /// matchers. Identical sets are merged. Routers are named with their provider (`web@file`,
    /// `expose-app-example-com@api`).
    public static func demands(_ dynamic: DynamicConfiguration, entryPoints: [String: EntryPoint]) -> [CertificateDemand] {
        var byKey: [String: CertificateDemand] = [:]
        var order: [String] = []
        // HTTP routers, then TCP routers that terminate TLS (Traefik obtains certificates for
        // their HostSNI names too); passthrough routers never need one.
        var asking: [(name: String, rule: String?, kind: Rule.Kind, resolver: String?, domains: [Domain])] = []
        let defaults = entryPoints.defaultRouterEntryPoints
        for (name, router) in dynamic.http.routers.sorted(by: { $0.key < $1.key }) {
            // The router's own tls, else the http.tls of the first of its entry points that has one.
            let eps = router.entryPoints ?? defaults
            let tls = router.effectiveTLS(entryPointDefaults: eps.lazy.compactMap { entryPoints[$0]?.http?.tls }.first)
            asking.append((dynamic.qualifiedName(.httpRouter, name), router.rule, .http, tls?.certResolver, tls?.domains ?? []))
        }
        for (name, router) in dynamic.tcp.routers.sorted(by: { $0.key < $1.key }) where router.tls?.passthrough != true {
            asking.append((dynamic.qualifiedName(.tcpRouter, name), router.rule, .tcp, router.tls?.certResolver, router.tls?.domains ?? []))
        }
        for (name, rule, kind, resolver, domains) in asking {
            guard let resolver, !resolver.isEmpty else { continue }
            var sets: [[String]] = domains.map(\.allNames).filter { !$0.isEmpty }
            if sets.isEmpty, let text = rule, let parsed = try? Rule.parse(text, kind: kind) {
                let names = parsed.domains
                if !names.isEmpty { sets = [names] }
            }
            for names in sets {
                let key = resolver + "|" + names.map { $0.lowercased() }.sorted().joined(separator: ",")
                if byKey[key] == nil {
                    byKey[key] = CertificateDemand(resolver: resolver, names: names, routers: [name])
                    order.append(key)
                } else {
                    byKey[key]?.routers.append(name)
                }
            }
        }
        return order.compactMap { byKey[$0] }
    }

    /// Every certificate in PEM `text`.
    static func certificates(in text: String) throws -> [Certificate] {
        let documents = try PEMDocument.parseMultiple(pemString: text)
        return try documents.filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(pemDocument: $0) }
    }
}

/// The HTTP-01 answers, as the proxy asks for them.
struct HTTPChallengeAdapter: HTTPChallengeResponder {
    let answers: ChallengeAnswers
    func keyAuthorization(forToken token: String, host: String) -> String? {
        answers.keyAuthorization(forToken: token, host: host)
    }
}
