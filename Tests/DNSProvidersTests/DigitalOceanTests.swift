import DNS
import Foundation
import Testing

@testable import DNSProviders

/// ``DigitalOceanProvider`` against tests/integration/dnsfakes/digitalocean.py, which follows
/// DigitalOcean's API v2 domain-records contract.
@Suite struct DigitalOceanTests {
    static let token = "dop_v1_gatehouse_test_token_0123456789"
    static let readOnly = "dop_v1_read_only_token_9876543210"

    private func startFake() async throws -> FakeProviderProcess {
        try await FakeProviderProcess("digitalocean", zones: ["example.com"], credentials: ["DO_AUTH_TOKEN": Self.token, "READ_ONLY_TOKEN": Self.readOnly])
    }

    private func provider(_ fake: FakeProviderProcess, token: String = Self.token) throws -> any DNSChallengeProvider {
        try DigitalOceanProvider.kind.make(DNSCredentials(["DO_AUTH_TOKEN": token, "DO_API_URL": fake.url], environment: [:]), DNSProviderContext())
    }

    private func record(_ value: String, name: String = "_acme-challenge.www.example.com", zone: String = "example.com") throws -> ChallengeRecord {
        try ProviderContract.record(value, name: name, zone: zone, ttl: 10)
    }

    private func expectError(_ kind: DNSProviderError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        await ProviderContract.expectFailure(kind, provider: "digitalocean", hiding: [Self.token, Self.readOnly], sourceLocation: sourceLocation, body)
    }

    @Test func twoValuesOnOneNameCoexistAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        try await ProviderContract.checkValuesCoexist(try provider(fake), fake: fake, name: "_acme-challenge.www.example.com", ttl: 10)
    }

    @Test func failuresAreClassified() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        await expectError(.authentication) { try await provider(fake, token: "dop_v1_wrong").present(try record("v")) }
        await expectError(.permission) { try await provider(fake, token: Self.readOnly).present(try record("v")) }
        await expectError(.zoneNotFound) {
            try await provider(fake).present(try record("v", name: "_acme-challenge.example.net", zone: "example.net"))
        }
    }

    @Test func aMissingTokenIsNamed() {
        #expect {
            _ = try DigitalOceanProvider.kind.make(DNSCredentials([:], environment: [:]), DNSProviderContext())
        } throws: { error in
            (error as? DNSProviderError)?.kind == .configuration && (error as? DNSProviderError)?.detail.contains("DO_AUTH_TOKEN") == true
        }
    }
}
