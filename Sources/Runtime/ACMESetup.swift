import ACME
import Certificates
import Config
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
    /// The usable resolvers, and the problems of those left out (each naming its key).
    ///
    /// A resolver with a configuration error (a malformed e-mail, an unknown key type, an
    /// unreadable CA certificate …) is left out: routers naming it get the default certificate,
    /// everything else runs.
    public static func resolvers(
        _ config: StaticConfiguration, dnsProvider: (any DNSChallengeProvider)?
    ) -> (resolvers: [ResolverSettings], problems: [String]) {
        var problems: [String] = []
        let invalid = Set(config.validate().compactMap { issue -> String? in
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
                propagation.resolvers = dns.resolvers ?? []
                propagation.delayBeforeChecks = (dns.propagation?.delayBeforeChecks ?? dns.delayBeforeCheck)?.duration ?? .zero
                propagation.disableChecks = dns.propagation?.disableChecks ?? dns.disablePropagationCheck ?? false
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
                dnsProvider: acme.dnsChallenge == nil ? nil : dnsProvider,
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

    /// Whether any resolver answers DNS-01 with the built-in DNS server.
    public static func usesBuiltinDNS(_ config: StaticConfiguration) -> Bool {
        config.certificatesResolvers.values.contains { $0.acme?.dnsChallenge?.provider?.lowercased() == "builtin" }
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
    /// matchers. Identical sets are merged.
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
            asking.append((name, router.rule, .http, tls?.certResolver, tls?.domains ?? []))
        }
        for (name, router) in dynamic.tcp.routers.sorted(by: { $0.key < $1.key }) where router.tls?.passthrough != true {
            asking.append((name, router.rule, .tcp, router.tls?.certResolver, router.tls?.domains ?? []))
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
