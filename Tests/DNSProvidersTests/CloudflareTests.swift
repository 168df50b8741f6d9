import DNS
import Foundation
import Testing

@testable import DNSProviders

/// ``CloudflareProvider`` against tests/integration/dnsfakes/cloudflare.py, which follows
/// Cloudflare's v4 contract (envelope, auth headers and codes, zones and dns_records).
@Suite struct CloudflareTests {
    static let token = "cf-dns-token-0123456789"
    static let zoneToken = "cf-zone-token-9876543210"
    static let email = "ops@example.com"
    static let key = "0123456789abcdef0123456789abcdef01234"
    static let secrets = [token, zoneToken, key]

    private func startFake() async throws -> FakeProviderProcess {
        try await FakeProviderProcess("cloudflare", zones: ["example.com", "example.org"], credentials: [
            "CF_DNS_API_TOKEN": Self.token, "CF_ZONE_API_TOKEN": Self.zoneToken,
            "CF_API_EMAIL": Self.email, "CF_API_KEY": Self.key,
        ])
    }

    private func provider(_ fake: FakeProviderProcess, _ entries: [String: String]) throws -> any DNSChallengeProvider {
        var entries = entries
        entries["CLOUDFLARE_BASE_URL"] = fake.url + "/client/v4"
        return try CloudflareProvider.kind.make(DNSCredentials(entries, environment: [:]), DNSProviderContext())
    }

    private func expectError(_ kind: DNSProviderError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        await ProviderContract.expectFailure(kind, provider: "cloudflare", hiding: Self.secrets, sourceLocation: sourceLocation, body)
    }

    @Test func twoValuesOnOneNameCoexistAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let cloudflare = try provider(fake, ["CF_DNS_API_TOKEN": Self.token])
        // A TTL below Cloudflare's minimum: raised to 60.
        try await ProviderContract.checkValuesCoexist(cloudflare, fake: fake, ttl: 30)
    }

    @Test func theGlobalKeyPairAndTheCloudflareAliasesWork() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let lookup = DNSTXTLookup()
        let deep = try ProviderContract.record("by-key", name: "_acme-challenge.a.b.example.org", zone: "example.org")
        let byKey = try provider(fake, ["CLOUDFLARE_EMAIL": Self.email, "CLOUDFLARE_API_KEY": Self.key])
        try await byKey.present(deep)
        #expect(try await lookup.lookupTXT(deep.name, at: fake.dnsAddress) == ["by-key"])
        try await byKey.cleanUp(deep)
        #expect(try await lookup.lookupTXT(deep.name, at: fake.dnsAddress).isEmpty)

        let byAlias = try provider(fake, ["CLOUDFLARE_DNS_API_TOKEN": Self.token, "CLOUDFLARE_ZONE_API_TOKEN": Self.zoneToken])
        let other = try ProviderContract.record("by-alias")
        try await byAlias.present(other)
        #expect(try await lookup.lookupTXT(other.name, at: fake.dnsAddress) == ["by-alias"])
        try await byAlias.cleanUp(other)
    }

    @Test func wrongCredentialsAreAuthenticationFailures() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let wrongToken = try provider(fake, ["CF_DNS_API_TOKEN": "not-the-token-42"])
        await expectError(.authentication) { try await wrongToken.present(try ProviderContract.record("v")) }
        let wrongKey = try provider(fake, ["CF_API_EMAIL": Self.email, "CF_API_KEY": "fedcba9876543210fedcba9876543210fedcb"])
        await expectError(.authentication) { try await wrongKey.present(try ProviderContract.record("v")) }
        let malformedKey = try provider(fake, ["CF_API_EMAIL": Self.email, "CF_API_KEY": "short"])
        await expectError(.authentication) { try await malformedKey.cleanUp(try ProviderContract.record("v")) }
    }

    @Test func aZoneReadTokenMayNotWriteRecords() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let zoneOnly = try provider(fake, ["CF_DNS_API_TOKEN": Self.zoneToken])
        await expectError(.permission) { try await zoneOnly.present(try ProviderContract.record("v")) }
    }

    @Test func anUnknownZoneIsReported() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let cloudflare = try provider(fake, ["CF_DNS_API_TOKEN": Self.token])
        await expectError(.zoneNotFound) {
            try await cloudflare.present(try ProviderContract.record("v", name: "_acme-challenge.example.net", zone: "example.net"))
        }
    }

    @Test func missingCredentialsNameTheVariables() throws {
        #expect {
            _ = try CloudflareProvider.kind.make(DNSCredentials([:], environment: [:]), DNSProviderContext())
        } throws: { error in
            guard let error = error as? DNSProviderError else { return false }
            return error.kind == .configuration && error.detail.contains("CF_DNS_API_TOKEN") && error.detail.contains("CF_API_KEY")
        }
        #expect {
            _ = try CloudflareProvider.kind.make(DNSCredentials(["CF_API_KEY": Self.key], environment: [:]), DNSProviderContext())
        } throws: { error in
            guard let error = error as? DNSProviderError else { return false }
            return error.kind == .configuration && error.detail.contains("CF_API_EMAIL") && !error.description.contains(Self.key)
        }
    }

    @Test func theRegistryKnowsCloudflareByName() {
        #expect(DNSProviderRegistry.kind(named: "Cloudflare")?.name == "cloudflare")
        #expect(CloudflareProvider.kind.variables.contains { $0.name == "CF_DNS_API_TOKEN" && $0.isSecret && $0.aliases == ["CLOUDFLARE_DNS_API_TOKEN"] })
    }
}
