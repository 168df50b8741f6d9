import DNS
import DNSProviders
import Testing

/// `dnsChallenge.providers`: the longest matching suffix wins, by whole labels; the top-level
/// provider takes the rest.
@Suite struct DNSProviderRouterTests {
    let log = StepLog()

    func router(fallback: Bool = true) -> DNSProviderRouter {
        DNSProviderRouter(
            routes: [
                .init(suffix: .test("example.com"), provider: FakeProvider(name: "cloudflare", log: log)),
                .init(suffix: .test("internal.example.com"), provider: FakeProvider(name: "rfc2136", log: log), ttl: 10),
                .init(suffix: .test("example.org"), provider: FakeProvider(name: "exec", needsZone: false, log: log)),
            ],
            fallback: fallback ? .init(suffix: nil, provider: FakeProvider(name: "route53", log: log)) : nil
        )
    }

    @Test("each name goes to the provider of its longest matching suffix", arguments: [
        ("_acme-challenge.example.com", "cloudflare"),
        ("_acme-challenge.www.example.com", "cloudflare"),
        ("_acme-challenge.internal.example.com", "rfc2136"),
        ("_acme-challenge.a.b.Internal.Example.COM", "rfc2136"),
        ("_acme-challenge.example.org", "exec"),
        ("_acme-challenge.badexample.com", "route53"),
        ("_acme-challenge.example.net", "route53"),
    ])
    func longestSuffix(name: String, provider: String) throws {
        #expect(try router().target(for: .test(name)).provider.name == provider)
    }

    @Test("a name no suffix takes fails when there is no fallback, naming the name and the suffixes")
    func noFallback() throws {
        let error = #expect(throws: DNSProviderError.self) { try router(fallback: false).target(for: .test("_acme-challenge.example.net")) }
        #expect(error?.kind == .configuration)
        #expect(error?.description.contains("_acme-challenge.example.net.") == true)
        #expect(error?.description.contains("internal.example.com.") == true)
    }

    @Test("present and cleanUp go to the record's provider, with its TTL")
    func forwards() async throws {
        let router = router()
        let record = ChallengeRecord(name: .test("_acme-challenge.internal.example.com"), value: "v", zone: .test("internal.example.com"))
        try await router.present(record)
        try await router.cleanUp(record)
        #expect(log.all == [
            "rfc2136.present _acme-challenge.internal.example.com. v zone=internal.example.com. ttl=10",
            "rfc2136.cleanUp _acme-challenge.internal.example.com. v zone=internal.example.com.",
        ])
        #expect(router.needsZone)
        #expect(!router.isImmediatelyVisible)
        #expect(router.name == "router(internal.example.com.=rfc2136, example.com.=cloudflare, example.org.=exec, *=route53)")
    }
}
