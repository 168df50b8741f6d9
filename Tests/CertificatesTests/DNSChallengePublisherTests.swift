import DNS
import DNSProviders
import Logging
import Testing
@testable import Certificates

/// The DNS-01 steps in order: provider, zone, publish, propagation; clean-up always.
@Suite struct DNSChallengePublisherTests {
    let name = DomainName.test("_acme-challenge.www.example.com")
    let zone = DomainName.test("example.com")
    let ns1 = DNSAddress.test("10.0.0.1:53")
    let ns2 = DNSAddress.test("10.0.0.2:53")
    let resolverA = DNSAddress.test("192.0.2.1:53")
    let resolverB = DNSAddress.test("192.0.2.2:53")

    func fast(_ settings: PropagationSettings = PropagationSettings()) -> PropagationSettings {
        var settings = settings
        settings.interval = .milliseconds(5)
        if settings.timeout == .seconds(120) { settings.timeout = .seconds(10) }
        return settings
    }

    func publisher(_ provider: any DNSChallengeProvider, _ dns: FakeDNS, _ propagation: PropagationSettings) -> DNSChallengePublisher {
        DNSChallengePublisher(provider: provider, propagation: fast(propagation), lookup: dns, logger: Logger(label: "test"))
    }

    @Test("a provider that needs the zone: zone lookup through the resolvers, publish with that zone, then every NS is asked")
    func stepOrder() async throws {
        let log = StepLog()
        let provider = FakeProvider(log: log)
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1, ns2]], providers: [provider])
        let publisher = publisher(provider, dns, PropagationSettings(resolvers: ["192.0.2.1:53"]))
        try await publisher.present(name: name, value: "v1")
        let steps = log.all
        #expect(steps[0] == "zone _acme-challenge.www.example.com. via 192.0.2.1:53")
        #expect(steps[1] == "fake.present _acme-challenge.www.example.com. v1 zone=example.com. ttl=120")
        #expect(steps[2] == "ns example.com.")
        // Then the two nameservers and the resolver, in any order, each once (all show it at once).
        #expect(Set(steps[3...]) == ["txt _acme-challenge.www.example.com. at 10.0.0.1:53",
                                     "txt _acme-challenge.www.example.com. at 10.0.0.2:53",
                                     "txt _acme-challenge.www.example.com. at 192.0.2.1:53"])
        #expect(steps.count == 6)
        try await publisher.cleanUp(name: name, value: "v1")
        #expect(log.all.last == "fake.cleanUp _acme-challenge.www.example.com. v1 zone=example.com.")
        #expect(provider.values(at: name).isEmpty)
    }

    @Test("a provider that names its zone's servers is asked there for the zone, and they are the authoritative servers checked")
    func zoneServers() async throws {
        let log = StepLog()
        let primary = DNSAddress.test("127.0.0.1:5353")
        let provider = FakeProvider(name: "rfc2136", log: log, zoneServers: [primary])
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1]], providers: [provider])
        try await publisher(provider, dns, PropagationSettings(resolvers: ["192.0.2.1:53"])).present(name: name, value: "v1")
        let steps = log.all
        #expect(steps[0] == "zone _acme-challenge.www.example.com. via 127.0.0.1:5353")
        #expect(steps[1].hasPrefix("rfc2136.present"))
        #expect(!steps.contains("ns example.com."))
        #expect(Set(steps[2...]) == ["txt _acme-challenge.www.example.com. at 127.0.0.1:5353",
                                     "txt _acme-challenge.www.example.com. at 192.0.2.1:53"])
    }

    @Test("checks repeat until every nameserver shows the value; servers that showed it are not asked again")
    func waitsForLaggingServer() async throws {
        let log = StepLog()
        let provider = FakeProvider(log: log)
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1, ns2]], providers: [provider], lag: [ns2: 3])
        try await publisher(provider, dns, PropagationSettings()).present(name: name, value: "v1")
        #expect(dns.askedCount(ns1) == 1)
        #expect(dns.askedCount(ns2) == 4)
    }

    @Test("a record never seen fails with the step, the server and what it showed, and is removed again")
    func timeoutCleansUp() async throws {
        let log = StepLog()
        let provider = FakeProvider(log: log)
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1, ns2]], providers: [provider], lag: [ns2: 1_000])
        let error = await #expect(throws: DNSChallengeError.self) {
            try await publisher(provider, dns, PropagationSettings(timeout: .milliseconds(200))).present(name: name, value: "v1")
        }
        let text = try #require(error).description
        #expect(text.hasPrefix("DNS-01 propagation: TXT \"v1\" at _acme-challenge.www.example.com. not visible after"))
        #expect(text.contains("NS 10.0.0.2:53: no TXT record"))
        #expect(!text.contains("10.0.0.1"))
        #expect(log.all.last == "fake.cleanUp _acme-challenge.www.example.com. v1 zone=example.com.")
        #expect(provider.values(at: name).isEmpty)
    }

    @Test("an order cancelled while waiting still removes its record")
    func cancelledCleansUp() async throws {
        let log = StepLog()
        let provider = FakeProvider(log: log)
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1]], providers: [provider], lag: [ns1: 1_000_000])
        let publisher = publisher(provider, dns, PropagationSettings(timeout: .seconds(60)))
        let task = Task { try await publisher.present(name: name, value: "v1") }
        #expect(await waitFor { dns.askedCount(ns1) >= 2 })
        task.cancel()
        await #expect(throws: (any Error).self) { try await task.value }
        #expect(log.all.last == "fake.cleanUp _acme-challenge.www.example.com. v1 zone=example.com.")
        #expect(provider.values(at: name).isEmpty)
    }

    /// Polls `condition` for up to 5 seconds.
    func waitFor(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test("a zone that cannot be found stops before anything is published, naming the name and the resolvers")
    func zoneNotFound() async throws {
        let log = StepLog()
        let provider = FakeProvider(log: log)
        let dns = FakeDNS(log: log, zones: [:], nameservers: [:], providers: [provider])
        let error = await #expect(throws: DNSChallengeError.self) {
            try await publisher(provider, dns, PropagationSettings(resolvers: ["192.0.2.1:53", "192.0.2.2:53"])).present(name: name, value: "v1")
        }
        #expect(error?.step == "zone lookup")
        #expect(error?.description == "DNS-01 zone lookup: zone not found for _acme-challenge.www.example.com. via 192.0.2.1:53, 192.0.2.2:53: NXDOMAIN for every SOA query")
        #expect(!log.all.contains { $0.contains("present") })
    }

    @Test("a provider's failure is reported as the publish step with the provider's message")
    func publishFails() async throws {
        let log = StepLog()
        let provider = FakeProvider(log: log, failPresent: DNSProviderError(.authentication, provider: "fake", "bad TSIG key", status: 9))
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1]], providers: [provider])
        let error = await #expect(throws: DNSChallengeError.self) {
            try await publisher(provider, dns, PropagationSettings()).present(name: name, value: "v1")
        }
        #expect(error?.step == "publish")
        #expect(error?.description.contains("fake: authentication failed: bad TSIG key (status 9)") == true)
    }

    @Test("a provider handed only the name publishes without a zone lookup; disableANSChecks asks only the resolvers")
    func noZoneNoNS() async throws {
        let log = StepLog()
        let provider = FakeProvider(name: "exec", needsZone: false, log: log)
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1]], providers: [provider])
        var settings = PropagationSettings(resolvers: ["192.0.2.1:53"])
        settings.disableAuthoritativeChecks = true
        try await publisher(provider, dns, settings).present(name: name, value: "v1")
        #expect(log.all == [
            "exec.present _acme-challenge.www.example.com. v1 zone=www.example.com. ttl=120",
            "txt _acme-challenge.www.example.com. at 192.0.2.1:53",
        ])
    }

    @Test("without resolvers and with disableANSChecks, the system's resolvers are asked")
    func systemResolvers() async throws {
        let log = StepLog()
        let provider = FakeProvider(needsZone: false, log: log)
        let dns = FakeDNS(log: log, zones: [:], nameservers: [:], providers: [provider], system: [resolverB])
        try await publisher(provider, dns, PropagationSettings(disableAuthoritativeChecks: true)).present(name: name, value: "v1")
        #expect(dns.askedCount(resolverB) == 1)
    }

    @Test("disableChecks, and providers whose records are visible at once, skip every check")
    func checksSkipped() async throws {
        for (immediate, disable) in [(false, true), (true, false)] {
            let log = StepLog()
            let provider = FakeProvider(needsZone: false, immediate: immediate, log: log)
            let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1]], providers: [provider])
            try await publisher(provider, dns, PropagationSettings(resolvers: ["192.0.2.1:53"], disableChecks: disable)).present(name: name, value: "v1")
            #expect(log.all.count == 1, "\(log.all)")
        }
    }

    @Test("one resolver seeing the record is enough by default; requireAllRNS waits for every one")
    func requireAllResolvers() async throws {
        let log = StepLog()
        let provider = FakeProvider(needsZone: false, log: log)
        let dns = FakeDNS(log: log, zones: [:], nameservers: [:], providers: [provider], lag: [resolverB: 1_000])
        let resolvers = ["192.0.2.1:53", "192.0.2.2:53"]
        try await publisher(provider, dns, PropagationSettings(resolvers: resolvers, disableAuthoritativeChecks: true))
            .present(name: name, value: "v1")
        let error = await #expect(throws: DNSChallengeError.self) {
            try await publisher(provider, dns, PropagationSettings(resolvers: resolvers, requireAllResolvers: true, disableAuthoritativeChecks: true, timeout: .milliseconds(200)))
                .present(name: name, value: "v2")
        }
        #expect(error?.description.contains("resolver 192.0.2.2:53") == true)
        #expect(error?.description.contains("192.0.2.1") == false)
    }

    @Test("an apex and its wildcard share one name: both values stay while the CA validates; removing one keeps the other")
    func apexAndWildcard() async throws {
        let log = StepLog()
        let provider = FakeProvider(log: log)
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1]], providers: [provider])
        let apex = DomainName.test("_acme-challenge.example.com")
        let publisher = publisher(provider, dns, PropagationSettings())
        try await publisher.present(name: apex, value: "apex-value")
        try await publisher.present(name: apex, value: "wildcard-value")
        #expect(provider.values(at: apex) == ["apex-value", "wildcard-value"])
        try await publisher.cleanUp(name: apex, value: "apex-value")
        #expect(provider.values(at: apex) == ["wildcard-value"])
        try await publisher.cleanUp(name: apex, value: "wildcard-value")
        #expect(provider.values(at: apex).isEmpty)
    }

    @Test("with several providers, each record goes to its suffix's provider, with that provider's zone rule and TTL")
    func routedRecords() async throws {
        let log = StepLog()
        let bind = FakeProvider(name: "rfc2136", log: log)
        let hook = FakeProvider(name: "exec", needsZone: false, log: log)
        let other = DomainName.test("other.test")
        let router = DNSProviderRouter(
            routes: [.init(suffix: other, provider: hook, ttl: 30)],
            fallback: .init(suffix: nil, provider: bind, ttl: 60)
        )
        let dns = FakeDNS(log: log, zones: [zone: zone, other: other], nameservers: [zone: [ns1], other: [ns2]], providers: [bind, hook])
        let publisher = publisher(router, dns, PropagationSettings(disableAuthoritativeChecks: false))
        try await publisher.present(name: DomainName.test("_acme-challenge.a.other.test"), value: "h")
        try await publisher.present(name: name, value: "b")
        #expect(hook.values(at: .test("_acme-challenge.a.other.test")) == ["h"])
        #expect(bind.values(at: name) == ["b"])
        let presents = log.all.filter { $0.contains(".present") }
        #expect(presents == [
            "exec.present _acme-challenge.a.other.test. h zone=a.other.test. ttl=30",
            "rfc2136.present _acme-challenge.www.example.com. b zone=example.com. ttl=60",
        ])
        try await publisher.cleanUp(name: .test("_acme-challenge.a.other.test"), value: "h")
        #expect(log.all.last?.hasPrefix("exec.cleanUp") == true)
    }

    @Test("a malformed resolver address is a configuration error naming it")
    func badResolver() async throws {
        let log = StepLog()
        let provider = FakeProvider(log: log)
        let dns = FakeDNS(log: log, zones: [zone: zone], nameservers: [zone: [ns1]], providers: [provider])
        let error = await #expect(throws: DNSChallengeError.self) {
            try await publisher(provider, dns, PropagationSettings(resolvers: ["dns.example:53"])).present(name: name, value: "v1")
        }
        #expect(error?.step == "configuration")
        #expect(error?.description.contains("\"dns.example:53\"") == true)
        #expect(log.all.isEmpty)
    }
}
