import Testing
@testable import Config

/// `certificatesResolvers.<r>.acme.dnsChallenge`: Traefik's keys and Gatehouse's extensions,
/// decoded strictly and validated with the key path of each problem.
@Suite struct DNSChallengeConfigTests {
    static let known = ["builtin", "cloudflare", "exec", "rfc2136", "route53"]

    func load(_ dns: String) throws -> StaticConfiguration {
        try ConfigLoader.loadStatic(string: """
        certificatesResolvers:
          le:
            acme:
              dnsChallenge:
        \(dns.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
        """)
    }

    func problems(_ dns: String, known: [String]? = known) throws -> [String] {
        try load(dns).validate(dnsProviders: known).map { "\($0.keyPath): \($0.message)" }
    }

    @Test("every key decodes: Traefik's, the deprecated ones, and the Gatehouse extensions")
    func decodesEverything() throws {
        let configuration = try load("""
        provider: cloudflare
        resolvers: ["1.1.1.1:53", "1.0.0.1:53"]
        delayBeforeCheck: 3s
        disablePropagationCheck: true
        propagation: {delayBeforeChecks: 2s, disableChecks: false, requireAllRNS: true, disableANSChecks: true, timeout: 90s, interval: 5s}
        credentialsFile: /etc/gatehouse/cf.env
        credentials: {CF_DNS_API_TOKEN_FILE: /run/secrets/cf, CF_TTL: "300"}
        credential: cf-prod
        providers:
          - {suffix: internal.example.com, provider: rfc2136, credentialsFile: /etc/gatehouse/bind.env}
          - suffix: example.org
            provider: route53
            credentials: {AWS_REGION: eu-west-1}
            credential: aws-main
        """)
        let dns = try #require(configuration.certificatesResolvers["le"]?.acme?.dnsChallenge)
        #expect(dns.provider == "cloudflare")
        #expect(dns.resolvers == ["1.1.1.1:53", "1.0.0.1:53"])
        #expect(dns.propagation?.timeout == .seconds(90))
        #expect(dns.propagation?.interval == .seconds(5))
        #expect(dns.propagation?.disableANSChecks == true)
        #expect(dns.credentialsFile == "/etc/gatehouse/cf.env")
        #expect(dns.credentials == ["CF_DNS_API_TOKEN_FILE": "/run/secrets/cf", "CF_TTL": "300"])
        #expect(dns.credential == "cf-prod")
        #expect(dns.providers?.count == 2)
        #expect(dns.providers?[0].suffix == "internal.example.com")
        #expect(dns.providers?[1].credentials == ["AWS_REGION": "eu-west-1"])
        #expect(dns.providers?[1].credential == "aws-main")
        // The new key wins over the deprecated one; the deprecated one works alone.
        #expect(dns.effectiveDelayBeforeChecks == .seconds(2))
        #expect(dns.effectiveDisableChecks == false)
        let old = try #require(try load("provider: rfc2136\ndelayBeforeCheck: 3s\ndisablePropagationCheck: true\n")
            .certificatesResolvers["le"]?.acme?.dnsChallenge)
        #expect(old.effectiveDelayBeforeChecks == .seconds(3))
        #expect(old.effectiveDisableChecks)
        #expect(try problems("""
        provider: cloudflare
        resolvers: ["1.1.1.1:53", "[2606:4700:4700::1111]:53", "9.9.9.9"]
        credentials: {CF_DNS_API_TOKEN: x}
        providers: [{suffix: internal.example.com, provider: rfc2136}]
        """).isEmpty)
    }

    @Test("unknown keys are errors with their path, in providers entries too")
    func strict() throws {
        let error = try #require(expectConfigError { _ = try load("provider: rfc2136\nproviders: [{suffix: a.test, provider: exec, credentialFile: x}]\n") })
        #expect(error.keyPath.hasPrefix("certificatesResolvers.le.acme.dnsChallenge.providers[0]"))
        #expect(error.suggestion == "credentialsFile")
    }

    @Test("each problem is reported under its own key", arguments: [
        ("resolvers: [\"1.1.1.1:53\"]", "certificatesResolvers.le.acme.dnsChallenge.provider: missing DNS provider"),
        ("provider: nosuchdns", "certificatesResolvers.le.acme.dnsChallenge.provider: unknown DNS provider \"nosuchdns\" (available: builtin, cloudflare, exec, rfc2136, route53)"),
        ("provider: CloudFlair", "certificatesResolvers.le.acme.dnsChallenge.provider: unknown DNS provider \"CloudFlair\" (available: builtin, cloudflare, exec, rfc2136, route53); did you mean \"cloudflare\"?"),
        ("provider: rfc2136\nresolvers: [\"1.1.1.1:99999\"]", "certificatesResolvers.le.acme.dnsChallenge.resolvers[0]: \"1.1.1.1:99999\": port \"99999\" is not a number from 1 to 65535"),
        ("provider: rfc2136\npropagation: {timeout: 0s}", "certificatesResolvers.le.acme.dnsChallenge.propagation.timeout: must be longer than 0s, got 0s"),
        ("provider: rfc2136\npropagation: {interval: 0s}", "certificatesResolvers.le.acme.dnsChallenge.propagation.interval: must be longer than 0s, got 0s"),
        ("provider: rfc2136\ncredentials: {\"bad name\": x}", "certificatesResolvers.le.acme.dnsChallenge.credentials.bad name: \"bad name\" is not an environment variable name (letters, digits and _, as lego names them)"),
        ("provider: rfc2136\ncredentialsFile: \"\"", "certificatesResolvers.le.acme.dnsChallenge.credentialsFile: empty path"),
        ("provider: builtin\ncredential: x", "certificatesResolvers.le.acme.dnsChallenge.provider: the builtin provider takes no credentials (credentialsFile, credentials, credential)"),
        ("provider: rfc2136\nproviders: [{suffix: a.test, provider: exec}, {suffix: b.test, provider: gandi}]", "certificatesResolvers.le.acme.dnsChallenge.providers[1].provider: unknown DNS provider \"gandi\" (available: builtin, cloudflare, exec, rfc2136, route53)"),
        ("provider: rfc2136\nproviders: [{provider: exec}]", "certificatesResolvers.le.acme.dnsChallenge.providers[0].suffix: missing suffix (the domain this provider answers for)"),
        ("provider: rfc2136\nproviders: [{suffix: a.test}]", "certificatesResolvers.le.acme.dnsChallenge.providers[0].provider: missing DNS provider"),
        ("provider: rfc2136\nproviders: [{suffix: \"*.a.test\", provider: exec}]", "certificatesResolvers.le.acme.dnsChallenge.providers[0].suffix: \"*.a.test\" is not a domain name (letters, digits, - and _ in dot-separated labels; no wildcard)"),
        ("provider: rfc2136\nproviders: [{suffix: a.test, provider: exec}, {suffix: A.Test., provider: cloudflare}]", "certificatesResolvers.le.acme.dnsChallenge.providers[1].suffix: suffix \"A.Test.\" is also in providers[0]"),
    ])
    func problem(dns: String, expected: String) throws {
        #expect(try problems(dns) == [expected])
    }

    @Test("with providers, the top-level provider may be left out (every name must then match a suffix)")
    func routesWithoutFallback() throws {
        #expect(try problems("providers: [{suffix: a.test, provider: exec}]").isEmpty)
    }

    @Test("without the registry's names, only a missing provider is reported")
    func withoutRegistry() throws {
        #expect(try problems("provider: whatever", known: nil).isEmpty)
        #expect(try problems("resolvers: [\"1.1.1.1\"]", known: nil).count == 1)
    }

    @Test("credential values appear in no message and no description")
    func secretsHidden() throws {
        let configuration = try load("""
        provider: nosuchdns
        credentials: {CF_DNS_API_TOKEN: s3cr3t-token, "x y": s3cr3t-two}
        providers: [{suffix: a.test, provider: nope, credentials: {TOKEN: s3cr3t-three}}]
        """)
        let dns = try #require(configuration.certificatesResolvers["le"]?.acme?.dnsChallenge)
        let texts = configuration.validate(dnsProviders: Self.known).map(\.description) + [dns.description, String(describing: dns), "\(dns.providers!)"]
        #expect(texts.count == 6)
        for text in texts { #expect(!text.contains("s3cr3t"), "\(text)") }
        #expect(dns.description.contains("CF_DNS_API_TOKEN"))
    }
}
