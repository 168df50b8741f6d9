import Config
import DNS
import DNSProviders
import Foundation
import Storage
import Testing
@testable import Certificates
@testable import Runtime

/// A provider that only carries its name, so tests can see which one an order uses.
private struct NamedProvider: DNSChallengeProvider {
    let name: String
    func present(_ record: ChallengeRecord) async throws {}
    func cleanUp(_ record: ChallengeRecord) async throws {}
}

/// A credential store holding what the test gives it.
private struct Store: StoredDNSCredentials {
    let credentials: [StoredDNSCredential]
    func credential(_ reference: String) async throws -> StoredDNSCredential? {
        credentials.first { $0.id == reference || $0.name == reference }
    }
}

/// A certificate's own stored DNS credential (`dns_credential`) from the configuration to the
/// order: its provider and lego tuning (the resolver's explicit `propagation` keys win), and
/// DNS-01 with it on a resolver that has only `httpChallenge`.
@Suite struct CredentialTuningTests {
    /// `fake` (FAKE_TOKEN) for resolvers' own providers, `bind` (BIND_TOKEN) for stored credentials.
    static func kind(_ name: String) -> DNSProviderKind? {
        guard ["fake", "bind"].contains(name) else { return nil }
        let prefix = name.uppercased()
        return DNSProviderKind(name: name, environmentPrefix: prefix, variables: [.init("\(prefix)_TOKEN", required: true, secret: true, "token")]) {
            credentials, _ throws(DNSProviderError) in
            _ = try credentials.required("\(prefix)_TOKEN", provider: name)
            return NamedProvider(name: name)
        }
    }

    /// `tuned` sets BIND_PROPAGATION_TIMEOUT=5 and BIND_POLLING_INTERVAL=1; `plain` sets neither.
    static let stored = [
        StoredDNSCredential(id: "c1", name: "tuned", provider: "bind",
                            entries: ["BIND_TOKEN": "t", "BIND_PROPAGATION_TIMEOUT": "5", "BIND_POLLING_INTERVAL": "1"]),
        StoredDNSCredential(id: "c2", name: "plain", provider: "bind", entries: ["BIND_TOKEN": "t"]),
    ]

    func setup(store: Bool = true, environment: [String: String] = [:]) -> DNSProviderSetup {
        DNSProviderSetup(storedCredentials: store ? Store(credentials: Self.stored) : nil,
                         environment: ["FAKE_TOKEN": "t", "FAKE_PROPAGATION_TIMEOUT": "30", "FAKE_POLLING_INTERVAL": "7"].merging(environment) { $1 },
                         kind: { Self.kind($0) }, names: ["builtin", "fake", "bind"])
    }

    /// Resolvers: `dns` (fake, lego tuning 30 s / 7 s from the environment, no keys), `keys`
    /// (fake with `propagation.timeout` 10s and `interval` 500ms), `web` (httpChallenge only).
    func resolvers(_ setup: DNSProviderSetup) async throws -> [String: ResolverSettings] {
        let config = try ConfigLoader.loadStatic(string: """
        entryPoints: {web: {address: ":80"}}
        certificatesResolvers:
          dns: {acme: {dnsChallenge: {provider: fake}}}
          keys: {acme: {dnsChallenge: {provider: fake, propagation: {delayBeforeChecks: 3s, timeout: 10s, interval: 500ms}}}}
          web: {acme: {httpChallenge: {entryPoint: web}}}
        """)
        let (list, problems) = await ACMESetup.resolvers(config, dns: setup)
        #expect(problems.isEmpty, "\(problems)")
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }

    func record(_ resolver: String, challenge: String? = "dns-01", credential: String?) -> CertificateRecord {
        CertificateRecord(resolver: resolver, names: ["app.example.test"], status: .pending, challenge: challenge, dnsCredential: credential)
    }

    @Test("a stored credential's PROPAGATION_TIMEOUT and POLLING_INTERVAL apply where the resolver sets no keys; the resolver's keys win")
    func credentialTuning() async throws {
        let dns = setup()
        let resolvers = try await resolvers(dns)
        let make: @Sendable (String) async throws -> CredentialDNSProvider = { try await dns.credentialProvider(storedCredential: $0) }

        // The resolver's own provider's tuning, before any credential.
        let own = try #require(resolvers["dns"])
        #expect(own.propagation.timeout == .seconds(30) && own.propagation.interval == .seconds(7))

        let tuned = try await own.forOrder(of: record("dns", credential: "tuned"), dnsProviderForCredential: make)
        #expect(tuned.dnsProvider?.name == "bind")
        #expect(tuned.propagation.timeout == .seconds(5))
        #expect(tuned.propagation.interval == .seconds(1))

        // A credential without tuning gets the defaults, not the resolver's provider's 30 s / 7 s.
        let plain = try await own.forOrder(of: record("dns", credential: "plain"), dnsProviderForCredential: make)
        #expect(plain.propagation.timeout == .seconds(120))
        #expect(plain.propagation.interval == .seconds(2))

        let keys = try #require(resolvers["keys"])
        let withKeys = try await keys.forOrder(of: record("keys", credential: "tuned"), dnsProviderForCredential: make)
        #expect(withKeys.dnsProvider?.name == "bind")
        #expect(withKeys.propagation.timeout == .seconds(10))
        #expect(withKeys.propagation.interval == .milliseconds(500))
        #expect(withKeys.propagation.delayBeforeChecks == .seconds(3))
    }

    @Test("a resolver with only httpChallenge offers dns-01 with the stored credential's provider and default propagation")
    func httpOnlyResolver() async throws {
        let dns = setup(environment: ["GATEHOUSE_ACME_DNS_RESOLVERS": "192.0.2.53:5353"])
        let web = try #require(try await resolvers(dns)["web"])
        #expect(web.challengeTypes == [.http01] && web.dnsProvider == nil)
        let make: @Sendable (String) async throws -> CredentialDNSProvider = { try await dns.credentialProvider(storedCredential: $0) }

        for challenge in ["dns-01", nil] as [String?] {
            let settings = try await web.forOrder(of: record("web", challenge: challenge, credential: "tuned"), dnsProviderForCredential: make)
            #expect(settings.challengeTypes == [.dns01], "challenge \(challenge ?? "none")")
            #expect(settings.dnsProvider?.name == "bind")
            #expect(settings.propagation.resolvers == ["192.0.2.53:5353"])
            #expect(settings.propagation.timeout == .seconds(5) && settings.propagation.interval == .seconds(1))
            #expect(!settings.propagation.disableChecks && !settings.propagation.disableAuthoritativeChecks)
        }

        // Another challenge by name leaves the credential without use.
        let other = await #expect(throws: CertificateManagerError.self) {
            _ = try await web.forOrder(of: record("web", challenge: "http-01", credential: "tuned"), dnsProviderForCredential: make)
        }
        #expect(other?.description.contains(#"names DNS credential "tuned""#) == true)
        // dns-01 without a credential is still not solvable there.
        let noCredential = await #expect(throws: CertificateManagerError.self) {
            _ = try await web.forOrder(of: record("web", credential: nil), dnsProviderForCredential: make)
        }
        #expect(noCredential?.description == #"the certificate asks for dns-01, which certificate resolver "web" does not solve (it solves http-01)"#)
    }

    @Test("without a credential store the order fails with a clear error naming the credential")
    func noStore() async throws {
        let dns = setup(store: false)
        let web = try #require(try await resolvers(dns)["web"])
        let made = await #expect(throws: DNSProviderSetupError.self) {
            _ = try await dns.credentialProvider(storedCredential: "tuned")
        }
        #expect(made?.description.contains(#"no credential store is open to read "tuned""#) == true, "\(String(describing: made))")
        let failed = await #expect(throws: CertificateManagerError.self) {
            _ = try await web.forOrder(of: record("web", credential: "tuned"),
                                       dnsProviderForCredential: { try await dns.credentialProvider(storedCredential: $0) })
        }
        #expect(failed?.description.hasPrefix(#"the stored DNS credential "tuned" cannot be used: "#) == true, "\(String(describing: failed))")
        #expect(failed?.description.contains("no credential store is open") == true)
        let noReader = await #expect(throws: CertificateManagerError.self) {
            _ = try await web.forOrder(of: record("web", credential: "tuned"), dnsProviderForCredential: nil)
        }
        #expect(noReader?.description == #"the stored DNS credential "tuned" cannot be used: this gateway cannot read stored DNS credentials"#)
    }
}
