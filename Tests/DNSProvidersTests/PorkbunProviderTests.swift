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

    func startFake() async throws -> FakeProviderProcess {
        try await FakeProviderProcess("porkbun", zones: ["example.com"], credentials: ["APIKEY": Self.apiKey, "SECRET": Self.secret])
    }

    @Test func twoValuesShareANameAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        try await ProviderContract.checkValuesCoexist(try provider(fake), fake: fake, neighbour: "_acme-challenge.www.example.com", atApex: true)
    }

    @Test func aWrongSecretIsAnAuthenticationFailureThatShowsNoKey() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let porkbun = try provider(fake, secret: "sk1_wrong_0000")
        let secrets = ["sk1_wrong_0000", Self.apiKey, Self.secret]
        let error = await ProviderContract.expectFailure(.authentication, provider: "porkbun", hiding: secrets) {
            try await porkbun.present(ProviderContract.record("v"))
        }
        #expect(error?.detail.contains("Invalid API key") == true)
        ProviderContract.expectHidden(secrets, in: porkbun)
    }

    @Test func aDomainNotInTheAccountIsZoneNotFound() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        await ProviderContract.expectFailure(.zoneNotFound, provider: "porkbun", hiding: [Self.apiKey, Self.secret]) {
            try await provider(fake).present(ProviderContract.record("v", name: "_acme-challenge.example.org", zone: "example.org"))
        }
    }

    @Test func missingKeysAreConfigurationErrorsNamingThem() throws {
        func detail(_ entries: [String: String]) -> String? {
            ProviderContract.configurationDetail(entries, PorkbunProvider.init(credentials:context:))
        }
        #expect(detail([:])?.contains("PORKBUN_API_KEY") == true)
        #expect(detail(["PORKBUN_API_KEY": "pk1_x"])?.contains("PORKBUN_SECRET_API_KEY") == true)
        let porkbun = try PorkbunProvider(credentials: DNSCredentials(["PORKBUN_API_KEY": "a", "PORKBUN_SECRET_API_KEY": "b", "PORKBUN_TTL": "120"], environment: [:]))
        #expect(porkbun.ttl(for: try ProviderContract.record("v")) == 600)
        #expect(porkbun.baseURL == "https://api.porkbun.com/api/json/v3")
        #expect(DNSProviderRegistry.kind(named: "porkbun")?.environmentPrefix == "PORKBUN")
    }
}
