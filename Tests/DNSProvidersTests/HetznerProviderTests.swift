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

    func record(_ value: String, _ name: String = "_acme-challenge.example.com", zone: String = "example.com") throws -> ChallengeRecord {
        ChallengeRecord(name: try DomainName(name), value: value, zone: try DomainName(zone))
    }

    func txt(_ name: String, at fake: FakeProviderProcess) async throws -> Set<String> {
        Set(try await DNSTXTLookup().lookupTXT(try DomainName(name), at: fake.dnsAddress))
    }

    @Test func twoValuesShareANameAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await FakeProviderProcess("hetzner", zones: ["example.com"], credentials: ["TOKEN": Self.token])
        defer { fake.stop() }
        let hetzner = try provider(fake)

        try await hetzner.present(record("apex-value"))
        try await hetzner.present(record("wildcard-value"))
        try await hetzner.present(record("apex-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake) == ["apex-value", "wildcard-value"])
        try await hetzner.present(record("deep", "_acme-challenge.www.example.com"))
        #expect(try await txt("_acme-challenge.www.example.com", at: fake) == ["deep"])

        try await hetzner.cleanUp(record("apex-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake) == ["wildcard-value"])
        try await hetzner.cleanUp(record("apex-value"))
        try await hetzner.cleanUp(record("wildcard-value"))
        try await hetzner.cleanUp(record("deep", "_acme-challenge.www.example.com"))
        #expect(try await txt("_acme-challenge.example.com", at: fake).isEmpty)
        #expect(try await txt("_acme-challenge.www.example.com", at: fake).isEmpty)

        // A name at the zone's apex (a delegated _acme-challenge zone looks like this).
        try await hetzner.present(record("at-apex", "example.com"))
        #expect(try await txt("example.com", at: fake) == ["at-apex"])
        try await hetzner.cleanUp(record("at-apex", "example.com"))
        #expect(try await txt("example.com", at: fake).isEmpty)
    }

    @Test func aWrongTokenIsAnAuthenticationFailureThatDoesNotShowIt() async throws {
        let fake = try await FakeProviderProcess("hetzner", zones: ["example.com"], credentials: ["TOKEN": Self.token])
        defer { fake.stop() }
        let hetzner = try provider(fake, token: "hcloud-wrong-3c4d")
        let error = await #expect(throws: DNSProviderError.self) { try await hetzner.present(record("v")) }
        #expect(error?.kind == .authentication)
        #expect(error?.detail.contains("unable to authenticate") == true)
        #expect(error.map { !$0.description.contains("hcloud-wrong-3c4d") } == true)
        #expect(!"\(hetzner)".contains("hcloud-wrong-3c4d"))
    }

    @Test func aZoneNotInTheProjectIsZoneNotFound() async throws {
        let fake = try await FakeProviderProcess("hetzner", zones: ["example.com"], credentials: ["TOKEN": Self.token])
        defer { fake.stop() }
        let error = await #expect(throws: DNSProviderError.self) {
            try await provider(fake).present(record("v", "_acme-challenge.example.org", zone: "example.org"))
        }
        #expect(error?.kind == .zoneNotFound)
    }

    @Test func onlyTheLegacyKeyUsesTheDNSConsoleAPIWithItsHeader() async throws {
        let fake = try await FakeProviderProcess("hetzner", zones: ["example.com"], credentials: ["KEY": "console-key-5f6a"])
        defer { fake.stop() }
        let console = try HetznerProvider(credentials: DNSCredentials(["HETZNER_API_KEY": "console-key-5f6a", "HETZNER_API_URL": fake.url + "/api/v1"], environment: [:]))
        #expect(console.api == .dnsConsole)
        try await console.present(record("apex-value"))
        try await console.present(record("wildcard-value"))
        try await console.present(record("apex-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake) == ["apex-value", "wildcard-value"])
        try await console.cleanUp(record("apex-value"))
        try await console.cleanUp(record("apex-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake) == ["wildcard-value"])
        try await console.cleanUp(record("wildcard-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake).isEmpty)

        let unknown = await #expect(throws: DNSProviderError.self) {
            try await console.present(record("v", "_acme-challenge.example.org", zone: "example.org"))
        }
        #expect(unknown?.kind == .zoneNotFound)
        let wrong = try HetznerProvider(credentials: DNSCredentials(["HETZNER_API_KEY": "console-wrong-7b8c", "HETZNER_API_URL": fake.url + "/api/v1"], environment: [:]))
        let refused = await #expect(throws: DNSProviderError.self) { try await wrong.present(record("v")) }
        #expect(refused?.kind == .authentication)
        #expect(refused.map { !$0.description.contains("console-wrong-7b8c") } == true)
    }

    @Test func theTokenWinsOverTheLegacyKeyAndAMissingTokenIsAConfigurationError() throws {
        func detail(_ entries: [String: String]) -> String? {
            do {
                _ = try HetznerProvider(credentials: DNSCredentials(entries, environment: [:]))
                return nil
            } catch {
                return error.kind == .configuration ? error.detail : "wrong kind \(error.kind)"
            }
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
