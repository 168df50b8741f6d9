import Certificates
import Config
import DNS
import DNSProviders
import Foundation
import Synchronization
import Testing
@testable import Runtime

/// A provider that remembers the token it was made with, so tests can see which source won.
private struct TokenProvider: DNSChallengeProvider {
    let name: String
    let token: String
    func present(_ record: ChallengeRecord) async throws {}
    func cleanUp(_ record: ChallengeRecord) async throws {}
}

/// A credential store holding what the test gives it.
private struct FakeStore: StoredDNSCredentials {
    let credentials: [StoredDNSCredential]
    func credential(_ reference: String) async throws -> StoredDNSCredential? {
        credentials.first { $0.id == reference || $0.name == reference }
    }
}

/// `dnsChallenge` into providers: names, credentials and their order, several providers, tuning.
@Suite struct DNSProviderSetupTests {
    /// `fake` (FAKE_TOKEN, prefix FAKE) and `other` (OTHER_TOKEN, prefix OTHER).
    static func kind(_ name: String) -> DNSProviderKind? {
        let prefix = name.uppercased()
        guard ["fake", "other"].contains(name) else { return nil }
        return DNSProviderKind(name: name, environmentPrefix: prefix, variables: [.init("\(prefix)_TOKEN", required: true, secret: true, "token")]) {
            credentials, _ throws(DNSProviderError) in
            TokenProvider(name: name, token: try credentials.required("\(prefix)_TOKEN", provider: name))
        }
    }

    static let files: [String: String] = [
        "/creds/fake.env": "# fake\nexport FAKE_TOKEN=from-file\nFAKE_TTL=\"45\"\n",
        "/creds/token": "from-token-file\n",
        "/creds/broken.env": "FAKE_TOKEN=x\nthis line has s3cr3t but no equals\n",
    ]

    func setup(environment: [String: String] = [:], stored: [StoredDNSCredential] = [], builtin: (any DNSChallengeProvider)? = nil) -> DNSProviderSetup {
        DNSProviderSetup(
            builtin: builtin, storedCredentials: FakeStore(credentials: stored), environment: environment,
            kind: { Self.kind($0) }, names: ["builtin", "fake", "other"],
            readFile: { path in
                guard let text = Self.files[path] else { throw CocoaError(.fileNoSuchFile) }
                return text
            }
        )
    }

    func config(_ dns: String, more: String = "") throws -> StaticConfiguration {
        try ConfigLoader.loadStatic(string: """
        entryPoints: {web: {address: ":80"}}
        certificatesResolvers:
          le:
            acme:
              dnsChallenge:
        \(dns.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
          web:
            acme: {httpChallenge: {entryPoint: web}}
        \(more)
        """)
    }

    func token(_ dns: String, _ setup: DNSProviderSetup) async throws -> String {
        let challenge = try #require(try config(dns).certificatesResolvers["le"]?.acme?.dnsChallenge)
        let built = try await setup.provider(resolver: "le", challenge)
        // A provider with <PREFIX>_TTL comes in a router of one that applies it.
        let provider = (built.provider as? DNSProviderRouter)?.fallback?.provider ?? built.provider
        return try #require(provider as? TokenProvider).token
    }

    @Test("credentials: the map, then the file, then the stored credential, then the environment")
    func precedence() async throws {
        let stored = [StoredDNSCredential(id: "c1", name: "fake-main", provider: "fake", entries: ["FAKE_TOKEN": "from-store"])]
        let setup = setup(environment: ["FAKE_TOKEN": "from-env"], stored: stored)
        #expect(try await token("provider: fake", setup) == "from-env")
        #expect(try await token("provider: fake\ncredential: fake-main", setup) == "from-store")
        #expect(try await token("provider: fake\ncredential: c1\ncredentialsFile: /creds/fake.env", setup) == "from-file")
        #expect(try await token("provider: fake\ncredentialsFile: /creds/fake.env\ncredentials: {FAKE_TOKEN: from-map}", setup) == "from-map")
        #expect(try await token("provider: fake\ncredentials: {FAKE_TOKEN_FILE: /creds/token}", setup) == "from-token-file")
        #expect(try await token("provider: fake", self.setup(environment: ["FAKE_TOKEN_FILE": "/creds/token"])) == "from-token-file")
    }

    @Test("a provider that cannot be made names the key and the missing variable")
    func missingVariable() async throws {
        let challenge = try #require(try config("provider: fake").certificatesResolvers["le"]?.acme?.dnsChallenge)
        let error = await #expect(throws: DNSProviderSetupError.self) { try await setup().provider(resolver: "le", challenge) }
        #expect(error?.description == "certificatesResolvers.le.acme.dnsChallenge: fake: configuration error: missing FAKE_TOKEN (or FAKE_TOKEN_FILE)")
    }

    @Test("credential settings that cannot be used name their key, and never show a value", arguments: [
        ("provider: fake\ncredential: nope", "certificatesResolvers.le.acme.dnsChallenge.credential: no stored DNS credential has the id or name \"nope\""),
        ("provider: fake\ncredential: o1", "certificatesResolvers.le.acme.dnsChallenge.credential: the stored credential \"o1\" is for provider other, not fake"),
        ("provider: fake\ncredentialsFile: /creds/missing.env", "certificatesResolvers.le.acme.dnsChallenge.credentialsFile: cannot read \"/creds/missing.env\""),
        ("provider: fake\ncredentialsFile: /creds/broken.env", "certificatesResolvers.le.acme.dnsChallenge.credentialsFile: fake: configuration error: /creds/broken.env:2: expected NAME=value"),
        ("provider: fake\ncredentials: {FAKE_TOKEN: t}\nproviders: [{suffix: a.test, provider: other, credentials: {OTHER_TOKEN: t}}, {suffix: b.test, provider: other}]",
         "certificatesResolvers.le.acme.dnsChallenge.providers[1]: other: configuration error: missing OTHER_TOKEN (or OTHER_TOKEN_FILE)"),
        ("provider: builtin", "certificatesResolvers.le.acme.dnsChallenge.provider: the built-in DNS server is not running (see dnsServer.address)"),
    ])
    func credentialProblems(dns: String, expected: String) async throws {
        let stored = [StoredDNSCredential(id: "o1", name: "other-main", provider: "other", entries: ["OTHER_TOKEN": "s3cr3t"])]
        let challenge = try #require(try config(dns).certificatesResolvers["le"]?.acme?.dnsChallenge)
        let error = await #expect(throws: DNSProviderSetupError.self) {
            try await setup(environment: ["FAKE_TOKEN": ""], stored: stored).provider(resolver: "le", challenge)
        }
        #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
        #expect(error?.description.contains("s3cr3t") == false)
    }

    @Test("several providers: a router with each suffix's provider and credentials, the top-level one as fallback")
    func router() async throws {
        let challenge = try #require(try config("""
        provider: fake
        credentials: {FAKE_TOKEN: top, FAKE_PROPAGATION_TIMEOUT: "30"}
        providers:
          - {suffix: Internal.Example.com., provider: other, credentials: {OTHER_TOKEN: inner, OTHER_TTL: "5", OTHER_PROPAGATION_TIMEOUT: "90"}}
          - {suffix: example.org, provider: fake, credentialsFile: /creds/fake.env}
        """).certificatesResolvers["le"]?.acme?.dnsChallenge)
        let built = try await setup().provider(resolver: "le", challenge)
        let router = try #require(built.provider as? DNSProviderRouter)
        let inner = try router.target(for: .init("_acme-challenge.www.internal.example.com"))
        #expect((inner.provider as? TokenProvider)?.token == "inner")
        #expect(inner.ttl == 5)
        let org = try router.target(for: .init("_acme-challenge.example.org"))
        #expect((org.provider as? TokenProvider)?.token == "from-file")
        #expect(org.ttl == 45)
        #expect((try router.target(for: .init("_acme-challenge.example.com")).provider as? TokenProvider)?.token == "top")
        #expect(built.tuning.propagationTimeout == 90)
    }

    @Test("resolvers get their provider; one that cannot be made is left out with its message, the others run")
    func resolverDisabled() async throws {
        let configuration = try config("provider: fake\nresolvers: [\"127.0.0.1:5300\"]")
        let (resolvers, problems) = await ACMESetup.resolvers(configuration, dns: setup())
        #expect(resolvers.map(\.name) == ["web"])
        #expect(problems == ["certificatesResolvers.le.acme.dnsChallenge: fake: configuration error: missing FAKE_TOKEN (or FAKE_TOKEN_FILE)"])

        let (working, none) = await ACMESetup.resolvers(configuration, dns: setup(environment: ["FAKE_TOKEN": "t"]))
        #expect(none.isEmpty)
        let le = try #require(working.first { $0.name == "le" })
        #expect(le.challengeTypes == [.dns01])
        #expect((le.dnsProvider as? TokenProvider)?.token == "t")
        #expect(le.propagation.resolvers == ["127.0.0.1:5300"])
        #expect(working.first { $0.name == "web" }?.dnsProvider == nil)
    }

    @Test("propagation: Traefik's keys, then the provider's lego tuning, then the defaults")
    func propagation() async throws {
        func settings(_ dns: String, environment: [String: String]) async throws -> PropagationSettings {
            let (resolvers, problems) = await ACMESetup.resolvers(try config(dns), dns: setup(environment: environment))
            #expect(problems.isEmpty)
            return try #require(resolvers.first { $0.name == "le" }).propagation
        }
        let defaults = try await settings("provider: fake", environment: ["FAKE_TOKEN": "t"])
        #expect(defaults.timeout == .seconds(120))
        #expect(defaults.interval == .seconds(2))
        #expect(!defaults.disableChecks && !defaults.requireAllResolvers && !defaults.disableAuthoritativeChecks)
        let lego = try await settings("provider: fake", environment: ["FAKE_TOKEN": "t", "FAKE_PROPAGATION_TIMEOUT": "30", "FAKE_POLLING_INTERVAL": "7"])
        #expect(lego.timeout == .seconds(30))
        #expect(lego.interval == .seconds(7))
        let keys = try await settings("""
        provider: fake
        delayBeforeCheck: 4s
        propagation: {timeout: 10s, interval: 500ms, requireAllRNS: true, disableANSChecks: true}
        """, environment: ["FAKE_TOKEN": "t", "FAKE_PROPAGATION_TIMEOUT": "30", "FAKE_POLLING_INTERVAL": "7"])
        #expect(keys.timeout == .seconds(10))
        #expect(keys.interval == .milliseconds(500))
        #expect(keys.delayBeforeChecks == .seconds(4))
        #expect(keys.requireAllResolvers && keys.disableAuthoritativeChecks)
        let deprecated = try await settings("provider: fake\ndisablePropagationCheck: true", environment: ["FAKE_TOKEN": "t"])
        #expect(deprecated.disableChecks)
    }

    @Test("GATEHOUSE_ACME_DNS_RESOLVERS serves resolvers that set none; a bad entry disables the resolver naming the variable")
    func resolversFromEnvironment() async throws {
        let environment = ["FAKE_TOKEN": "t", "GATEHOUSE_ACME_DNS_RESOLVERS": "1.1.1.1:53, 1.0.0.1"]
        let (fromEnv, _) = await ACMESetup.resolvers(try config("provider: fake"), dns: setup(environment: environment))
        #expect(fromEnv.first { $0.name == "le" }?.propagation.resolvers == ["1.1.1.1:53", "1.0.0.1:53"])
        let (own, _) = await ACMESetup.resolvers(try config("provider: fake\nresolvers: [\"9.9.9.9:53\"]"), dns: setup(environment: environment))
        #expect(own.first { $0.name == "le" }?.propagation.resolvers == ["9.9.9.9:53"])
        let (bad, problems) = await ACMESetup.resolvers(try config("provider: fake"), dns: setup(environment: ["FAKE_TOKEN": "t", "GATEHOUSE_ACME_DNS_RESOLVERS": "dns.google:53"]))
        #expect(bad.map(\.name) == ["web"])
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("GATEHOUSE_ACME_DNS_RESOLVERS: \"dns.google:53\" is not a resolver address") == true)
    }

    @Test("an unknown provider is a configuration problem listing the names, before anything is made")
    func unknownProvider() async throws {
        let (resolvers, problems) = await ACMESetup.resolvers(try config("provider: nosuch"), dns: setup())
        #expect(resolvers.map(\.name) == ["web"])
        #expect(problems == ["certificatesResolvers.le.acme.dnsChallenge.provider: unknown DNS provider \"nosuch\" (available: builtin, fake, other)"])
    }

    @Test("the built-in DNS server can be one of several providers, and then it is started")
    func builtinAsRoute() async throws {
        let configuration = try config("provider: fake\ncredentials: {FAKE_TOKEN: t}\nproviders: [{suffix: acme.example.com, provider: builtin}]")
        #expect(ACMESetup.usesBuiltinDNS(configuration))
        #expect(!ACMESetup.usesBuiltinDNS(try config("provider: fake")))
        let builtin = BuiltinDNSProvider(records: DNSChallengeRecords())
        let challenge = try #require(configuration.certificatesResolvers["le"]?.acme?.dnsChallenge)
        let router = try #require(try await setup(builtin: builtin).provider(resolver: "le", challenge).provider as? DNSProviderRouter)
        #expect(try router.target(for: .init("_acme-challenge.www.acme.example.com")).provider.name == "builtin")
        #expect(try router.target(for: .init("_acme-challenge.example.com")).provider.name == "fake")
    }

    @Test("one provider with <PREFIX>_TTL publishes its records with that TTL")
    func singleProviderTTL() async throws {
        let challenge = try #require(try config("provider: fake\ncredentialsFile: /creds/fake.env").certificatesResolvers["le"]?.acme?.dnsChallenge)
        let built = try await setup().provider(resolver: "le", challenge)
        let router = try #require(built.provider as? DNSProviderRouter)
        #expect(router.routes.isEmpty)
        #expect(router.fallback?.ttl == 45)
        #expect(built.tuning.ttl == 45)
        let plain = try await setup().provider(resolver: "le", try #require(try config("provider: fake\ncredentials: {FAKE_TOKEN: t}").certificatesResolvers["le"]?.acme?.dnsChallenge))
        #expect(plain.provider is TokenProvider)
    }
}
