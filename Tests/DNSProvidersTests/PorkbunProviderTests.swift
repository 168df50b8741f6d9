import AsyncHTTPClient
import DNS
import Foundation
import Testing

@testable import DNSProviders

/// `porkbun` against tests/integration/dnsfakes/porkbun.py, which follows Porkbun's API v3
/// (keys in the JSON body, `{"status": "ERROR", "message"}` errors).
@Suite struct PorkbunProviderTests {
    static let apiKey = "pk1_1234abcd"
    static let secret = "sk1_secret_9f8e7d"

    func provider(_ fake: FakeProviderProcess, secret: String = secret) throws -> PorkbunProvider {
        try PorkbunProvider(credentials: DNSCredentials(
            ["PORKBUN_API_KEY": Self.apiKey, "PORKBUN_SECRET_API_KEY": secret, "PORKBUN_API_URL": fake.url + "/api/json/v3"], environment: [:]))
    }

    func record(_ value: String, _ name: String = "_acme-challenge.example.com", zone: String = "example.com") throws -> ChallengeRecord {
        ChallengeRecord(name: try DomainName(name), value: value, zone: try DomainName(zone))
    }

    func txt(_ name: String, at fake: FakeProviderProcess) async throws -> Set<String> {
        Set(try await DNSTXTLookup().lookupTXT(try DomainName(name), at: fake.dnsAddress))
    }

    @Test func twoValuesShareANameAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await FakeProviderProcess("porkbun", zones: ["example.com"], credentials: ["APIKEY": Self.apiKey, "SECRET": Self.secret])
        defer { fake.stop() }
        let porkbun = try provider(fake)

        try await porkbun.present(record("apex-value"))
        try await porkbun.present(record("wildcard-value"))
        try await porkbun.present(record("apex-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake) == ["apex-value", "wildcard-value"])
        try await porkbun.present(record("deep", "_acme-challenge.www.example.com"))
        #expect(try await txt("_acme-challenge.www.example.com", at: fake) == ["deep"])

        try await porkbun.cleanUp(record("apex-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake) == ["wildcard-value"])
        try await porkbun.cleanUp(record("apex-value"))
        try await porkbun.cleanUp(record("wildcard-value"))
        try await porkbun.cleanUp(record("deep", "_acme-challenge.www.example.com"))
        #expect(try await txt("_acme-challenge.example.com", at: fake).isEmpty)
        #expect(try await txt("_acme-challenge.www.example.com", at: fake).isEmpty)

        // A name at the zone's apex (a delegated _acme-challenge zone looks like this).
        try await porkbun.present(record("at-apex", "example.com"))
        #expect(try await txt("example.com", at: fake) == ["at-apex"])
        try await porkbun.cleanUp(record("at-apex", "example.com"))
        #expect(try await txt("example.com", at: fake).isEmpty)
    }

    @Test func aWrongSecretIsAnAuthenticationFailureThatShowsNoKey() async throws {
        let fake = try await FakeProviderProcess("porkbun", zones: ["example.com"], credentials: ["APIKEY": Self.apiKey, "SECRET": Self.secret])
        defer { fake.stop() }
        let porkbun = try provider(fake, secret: "sk1_wrong_0000")
        let error = await #expect(throws: DNSProviderError.self) { try await porkbun.present(record("v")) }
        #expect(error?.kind == .authentication)
        #expect(error?.detail.contains("Invalid API key") == true)
        for secret in ["sk1_wrong_0000", Self.apiKey] {
            #expect(error.map { !$0.description.contains(secret) } == true)
            #expect(!"\(porkbun)".contains(secret))
        }
    }

    @Test func aDomainNotInTheAccountIsZoneNotFound() async throws {
        let fake = try await FakeProviderProcess("porkbun", zones: ["example.com"], credentials: ["APIKEY": Self.apiKey, "SECRET": Self.secret])
        defer { fake.stop() }
        let error = await #expect(throws: DNSProviderError.self) {
            try await provider(fake).present(record("v", "_acme-challenge.example.org", zone: "example.org"))
        }
        #expect(error?.kind == .zoneNotFound)
    }

    @Test func missingKeysAreConfigurationErrorsNamingThem() throws {
        func detail(_ entries: [String: String]) -> String? {
            do {
                _ = try PorkbunProvider(credentials: DNSCredentials(entries, environment: [:]))
                return nil
            } catch {
                return error.kind == .configuration ? error.detail : "wrong kind \(error.kind)"
            }
        }
        #expect(detail([:])?.contains("PORKBUN_API_KEY") == true)
        #expect(detail(["PORKBUN_API_KEY": "pk1_x"])?.contains("PORKBUN_SECRET_API_KEY") == true)
        let porkbun = try PorkbunProvider(credentials: DNSCredentials(["PORKBUN_API_KEY": "a", "PORKBUN_SECRET_API_KEY": "b", "PORKBUN_TTL": "120"], environment: [:]))
        #expect(porkbun.ttl(for: try record("v")) == 600)
        #expect(porkbun.baseURL == "https://api.porkbun.com/api/json/v3")
        #expect(DNSProviderRegistry.kind(named: "porkbun")?.environmentPrefix == "PORKBUN")
    }
}
