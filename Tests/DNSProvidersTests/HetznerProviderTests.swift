import AsyncHTTPClient
import DNS
import Foundation
import Testing

@testable import DNSProviders

/// `hetzner` against tests/integration/dnsfakes/hetzner.py, which follows the Hetzner Cloud
/// API's zone RRSet actions (Bearer token, quoted TXT values, actions that run before they
/// succeed).
@Suite struct HetznerProviderTests {
    static let token = "hcloud-token-6b2e9f01"

    func provider(_ fake: FakeProviderProcess, token: String = token) throws -> HetznerProvider {
        try HetznerProvider(credentials: DNSCredentials(["HETZNER_API_TOKEN": token, "HETZNER_API_URL": fake.url + "/v1"], environment: [:]))
    }

    func startFake(_ credentials: [String: String] = ["TOKEN": token]) async throws -> FakeProviderProcess {
        try await FakeProviderProcess("hetzner", zones: ["example.com"], credentials: credentials)
    }

    @Test func twoValuesShareANameAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        try await ProviderContract.checkValuesCoexist(try provider(fake), fake: fake, neighbour: "_acme-challenge.www.example.com", atApex: true)
    }

    @Test func aWrongTokenIsAnAuthenticationFailureThatDoesNotShowIt() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let hetzner = try provider(fake, token: "hcloud-wrong-3c4d")
        let error = await ProviderContract.expectFailure(.authentication, provider: "hetzner", hiding: ["hcloud-wrong-3c4d", Self.token]) {
            try await hetzner.present(ProviderContract.record("v"))
        }
        #expect(error?.detail.contains("unable to authenticate") == true)
        ProviderContract.expectHidden(["hcloud-wrong-3c4d"], in: hetzner)
    }

    @Test func aZoneNotInTheProjectIsZoneNotFound() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        await ProviderContract.expectFailure(.zoneNotFound, provider: "hetzner", hiding: [Self.token]) {
            try await provider(fake).present(ProviderContract.record("v", name: "_acme-challenge.example.org", zone: "example.org"))
        }
    }

    @Test func onlyTheLegacyKeyUsesTheDNSConsoleAPIWithItsHeader() async throws {
        let fake = try await startFake(["KEY": "console-key-5f6a"])
        defer { fake.stop() }
        let console = try HetznerProvider(credentials: DNSCredentials(["HETZNER_API_KEY": "console-key-5f6a", "HETZNER_API_URL": fake.url + "/api/v1"], environment: [:]))
        #expect(console.api == .dnsConsole)
        try await ProviderContract.checkValuesCoexist(console, fake: fake)

        await ProviderContract.expectFailure(.zoneNotFound, provider: "hetzner", hiding: ["console-key-5f6a"]) {
            try await console.present(ProviderContract.record("v", name: "_acme-challenge.example.org", zone: "example.org"))
        }
        let wrong = try HetznerProvider(credentials: DNSCredentials(["HETZNER_API_KEY": "console-wrong-7b8c", "HETZNER_API_URL": fake.url + "/api/v1"], environment: [:]))
        await ProviderContract.expectFailure(.authentication, provider: "hetzner", hiding: ["console-wrong-7b8c", "console-key-5f6a"]) {
            try await wrong.present(ProviderContract.record("v"))
        }
    }

    @Test func theTokenWinsOverTheLegacyKeyAndAMissingTokenIsAConfigurationError() throws {
        func detail(_ entries: [String: String]) -> String? {
            ProviderContract.configurationDetail(entries, HetznerProvider.init(credentials:context:))
        }
        #expect(detail([:])?.contains("HETZNER_API_TOKEN") == true)
        #expect(detail(["HETZNER_API_TOKEN": "t", "HETZNER_TTL": "30"])?.contains("HETZNER_TTL") == true)
        let both = try HetznerProvider(credentials: DNSCredentials(["HETZNER_API_TOKEN": "t", "HETZNER_API_KEY": "k"], environment: [:]))
        #expect(both.api == .cloud && both.baseURL == "https://api.hetzner.cloud/v1")
        let legacy = try HetznerProvider(credentials: DNSCredentials(["HETZNER_API_KEY": "k"], environment: [:]))
        #expect(legacy.api == .dnsConsole && legacy.baseURL == "https://dns.hetzner.com/api/v1")
        #expect(HetznerProvider.quoted(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(HetznerProvider.unquoted(HetznerProvider.quoted(#"a"b\c"#)) == #"a"b\c"#)
        #expect(DNSProviderRegistry.kind(named: "hetzner")?.environmentPrefix == "HETZNER")
    }
}
