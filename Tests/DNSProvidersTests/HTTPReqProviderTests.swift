import AsyncHTTPClient
import DNS
import Foundation
import Testing

@testable import DNSProviders

/// `httpreq` against tests/integration/dnsfakes/httpreq.py, a webhook following lego's default
/// mode contract with Basic authentication.
@Suite struct HTTPReqProviderTests {
    static let password = "hook-password-31c9"

    func provider(_ fake: FakeProviderProcess, password: String = password, _ extra: [String: String] = [:]) throws -> HTTPReqProvider {
        try HTTPReqProvider(credentials: DNSCredentials(
            ["HTTPREQ_ENDPOINT": fake.url + "/", "HTTPREQ_USERNAME": "acme", "HTTPREQ_PASSWORD": password].merging(extra) { $1 },
            environment: [:]))
    }

    func startFake() async throws -> FakeProviderProcess {
        try await FakeProviderProcess("httpreq", zones: ["example.com"], credentials: ["USERNAME": "acme", "PASSWORD": Self.password])
    }

    // httpreq does not need the zone: the records below carry the name's parent, not looked up.

    @Test func twoValuesShareANameAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let hook = try provider(fake)
        #expect(hook.needsZone == false)
        try await ProviderContract.checkValuesCoexist(hook, fake: fake)
    }

    @Test func aWrongPasswordIsAnAuthenticationFailureThatDoesNotShowIt() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let hook = try provider(fake, password: "wrong-password-55d0")
        await ProviderContract.expectFailure(.authentication, provider: "httpreq", hiding: ["wrong-password-55d0", Self.password]) {
            try await hook.present(ProviderContract.record("v"))
        }
        ProviderContract.expectHidden(["wrong-password-55d0"], in: hook)
    }

    @Test func aNameTheWebhookHasNoZoneForIsZoneNotFound() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let error = await ProviderContract.expectFailure(.zoneNotFound, provider: "httpreq", hiding: [Self.password]) {
            try await provider(fake).present(ProviderContract.record("v", name: "_acme-challenge.example.org", zone: "example.org"))
        }
        #expect(error?.detail.contains("example.org") == true)
    }

    @Test func rawModeAndMissingOrHalfSetVariablesAreConfigurationErrors() throws {
        func detail(_ entries: [String: String]) -> String? {
            ProviderContract.configurationDetail(entries, HTTPReqProvider.init(credentials:context:))
        }
        #expect(detail([:])?.contains("HTTPREQ_ENDPOINT") == true)
        #expect(detail(["HTTPREQ_ENDPOINT": "ftp://hook"])?.contains("HTTPREQ_ENDPOINT") == true)
        let raw = detail(["HTTPREQ_ENDPOINT": "https://hook.example", "HTTPREQ_MODE": "RAW"])
        #expect(raw?.contains("RAW") == true && raw?.contains("key authorization") == true)
        let half = detail(["HTTPREQ_ENDPOINT": "https://hook.example", "HTTPREQ_PASSWORD": "p4ss-only"])
        #expect(half?.contains("HTTPREQ_USERNAME") == true && half?.contains("p4ss-only") == false)
        #expect(detail(["HTTPREQ_ENDPOINT": "https://hook.example", "HTTPREQ_MODE": "default"]) == nil)
        #expect(DNSProviderRegistry.kind(named: "httpreq")?.environmentPrefix == "HTTPREQ")
    }
}
