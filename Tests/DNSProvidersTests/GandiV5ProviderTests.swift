import AsyncHTTPClient
import DNS
import Foundation
import NIOHTTP1
import Testing

@testable import DNSProviders

/// `gandiv5` against tests/integration/dnsfakes/gandiv5.py, which follows LiveDNS v5's contract
/// (Bearer personal access token; the deprecated Apikey header refused with 403).
@Suite struct GandiV5ProviderTests {
    static let token = "pat-7d1f0c9e-not-a-real-token"

    func provider(_ fake: FakeProviderProcess, token: String = token) throws -> GandiV5Provider {
        try GandiV5Provider(credentials: DNSCredentials(
            ["GANDIV5_PERSONAL_ACCESS_TOKEN": token, "GANDIV5_API_URL": fake.url + "/v5/livedns"], environment: [:]))
    }

    func startFake() async throws -> FakeProviderProcess {
        try await FakeProviderProcess("gandiv5", zones: ["example.com"], credentials: ["PAT": Self.token])
    }

    @Test func twoValuesShareANameAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        try await ProviderContract.checkValuesCoexist(try provider(fake), fake: fake, neighbour: "_acme-challenge.www.example.com", atApex: true)
    }

    @Test func aWrongTokenIsAnAuthenticationFailureThatDoesNotShowTheToken() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let wrong = "pat-wrong-0b5e77"
        let gandi = try provider(fake, token: wrong)
        let error = await ProviderContract.expectFailure(.authentication, provider: "gandiv5", hiding: [wrong, Self.token]) {
            try await gandi.present(ProviderContract.record("v"))
        }
        #expect(error?.status == 401)
        ProviderContract.expectHidden([wrong, Self.token], in: gandi)
    }

    @Test func aDomainNotOnLiveDNSIsZoneNotFound() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let error = await ProviderContract.expectFailure(.zoneNotFound, provider: "gandiv5", hiding: [Self.token]) {
            try await provider(fake).present(ProviderContract.record("v", name: "_acme-challenge.example.org", zone: "example.org"))
        }
        #expect(error?.detail.contains("example.org") == true)
    }

    @Test func theFakeRefusesTheDeprecatedApikeyHeaderEvenWithAValidCredential() async throws {
        // The seed: a client that sent `Authorization: Apikey` got 403 on a valid token. The fake
        // must refuse it too, or the tests above would not show that the provider sends Bearer.
        let fake = try await startFake()
        defer { fake.stop() }
        let client = ProviderHTTPClient(provider: "gandiv5", client: .shared)
        let refused = try await client.send(.GET, fake.url + "/v5/livedns/domains/example.com", headers: ["Authorization": "Apikey \(Self.token)"])
        #expect(refused.status == 403)
        #expect(refused.text.contains("Access was denied to this resource."))
        let accepted = try await client.send(.GET, fake.url + "/v5/livedns/domains/example.com", headers: ["Authorization": "Bearer \(Self.token)"])
        #expect(accepted.status == 200)
    }

    @Test func aMissingTokenIsAConfigurationErrorNamingTheVariable() throws {
        #expect {
            try GandiV5Provider(credentials: DNSCredentials([:], environment: [:]))
        } throws: { error in
            let error = error as? DNSProviderError
            return error?.kind == .configuration && error!.detail.contains("GANDIV5_PERSONAL_ACCESS_TOKEN")
        }
    }

    @Test func onlyTheDeprecatedAPIKeyIsRefusedSayingWhyAndWhatToSet() throws {
        let key = "deprecated-key-93ad"
        #expect {
            try GandiV5Provider(credentials: DNSCredentials(["GANDIV5_API_KEY": key], environment: [:]))
        } throws: { error in
            guard let error = error as? DNSProviderError else { return false }
            return error.kind == .configuration && error.detail.contains("GANDIV5_API_KEY") && error.detail.contains("deprecated")
                && error.detail.contains("GANDIV5_PERSONAL_ACCESS_TOKEN") && !error.description.contains(key)
        }
    }

    @Test func theTTLIsAtLeastGandisMinimumAndTheKindIsRegistered() throws {
        let gandi = try GandiV5Provider(credentials: DNSCredentials(["GANDIV5_PERSONAL_ACCESS_TOKEN": "t", "GANDIV5_TTL": "60"], environment: [:]))
        #expect(gandi.ttl(for: try ProviderContract.record("v")) == 300)
        let longer = try GandiV5Provider(credentials: DNSCredentials(["GANDIV5_PERSONAL_ACCESS_TOKEN": "t", "GANDIV5_TTL": "900"], environment: [:]))
        #expect(longer.ttl(for: try ProviderContract.record("v")) == 900)
        #expect(gandi.baseURL == "https://api.gandi.net/v5/livedns")
        #expect(DNSProviderRegistry.kind(named: "gandiv5")?.environmentPrefix == "GANDIV5")
    }
}
