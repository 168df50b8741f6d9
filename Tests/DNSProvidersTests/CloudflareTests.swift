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

    private func record(_ value: String, name: String = "_acme-challenge.example.com", zone: String = "example.com", ttl: Int = 120) throws -> ChallengeRecord {
        ChallengeRecord(name: try DomainName(name), value: value, zone: try DomainName(zone), ttl: ttl)
    }

    private func expectError(_ kind: DNSProviderError.Kind, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected a \(kind) error, got success")
        } catch let error as DNSProviderError {
            #expect(error.kind == kind, "\(error)")
            #expect(error.provider == "cloudflare")
            for secret in Self.secrets {
                #expect(!error.description.contains(secret), "a credential leaked into \(error)")
            }
        } catch {
            Issue.record("expected DNSProviderError, got \(error)")
        }
    }

    @Test func twoValuesOnOneNameCoexistAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let cloudflare = try provider(fake, ["CF_DNS_API_TOKEN": Self.token])
        let lookup = DNSTXTLookup()
        let apex = try record("value-apex", ttl: 30)  // below Cloudflare's minimum: raised to 60
        let wildcard = try record("value-wildcard")

        try await cloudflare.present(apex)
        try await cloudflare.present(wildcard)
        try await cloudflare.present(apex)  // again: not an error
        #expect(Set(try await lookup.lookupTXT(apex.name, at: fake.dnsAddress)) == ["value-apex", "value-wildcard"])

        try await cloudflare.cleanUp(apex)
        #expect(try await lookup.lookupTXT(apex.name, at: fake.dnsAddress) == ["value-wildcard"])
        try await cloudflare.cleanUp(apex)  // already gone: not an error
        try await cloudflare.cleanUp(wildcard)
        #expect(try await lookup.lookupTXT(apex.name, at: fake.dnsAddress).isEmpty)
    }

    @Test func theGlobalKeyPairAndTheCloudflareAliasesWork() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let lookup = DNSTXTLookup()
        let deep = try record("by-key", name: "_acme-challenge.a.b.example.org", zone: "example.org")
        let byKey = try provider(fake, ["CLOUDFLARE_EMAIL": Self.email, "CLOUDFLARE_API_KEY": Self.key])
        try await byKey.present(deep)
        #expect(try await lookup.lookupTXT(deep.name, at: fake.dnsAddress) == ["by-key"])
        try await byKey.cleanUp(deep)
        #expect(try await lookup.lookupTXT(deep.name, at: fake.dnsAddress).isEmpty)

        let byAlias = try provider(fake, ["CLOUDFLARE_DNS_API_TOKEN": Self.token, "CLOUDFLARE_ZONE_API_TOKEN": Self.zoneToken])
        let other = try record("by-alias")
        try await byAlias.present(other)
        #expect(try await lookup.lookupTXT(other.name, at: fake.dnsAddress) == ["by-alias"])
        try await byAlias.cleanUp(other)
    }

    @Test func wrongCredentialsAreAuthenticationFailures() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let wrongToken = try provider(fake, ["CF_DNS_API_TOKEN": "not-the-token-42"])
        await expectError(.authentication) { try await wrongToken.present(try record("v")) }
        let wrongKey = try provider(fake, ["CF_API_EMAIL": Self.email, "CF_API_KEY": "fedcba9876543210fedcba9876543210fedcb"])
        await expectError(.authentication) { try await wrongKey.present(try record("v")) }
        let malformedKey = try provider(fake, ["CF_API_EMAIL": Self.email, "CF_API_KEY": "short"])
        await expectError(.authentication) { try await malformedKey.cleanUp(try record("v")) }
    }

    @Test func aZoneReadTokenMayNotWriteRecords() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let zoneOnly = try provider(fake, ["CF_DNS_API_TOKEN": Self.zoneToken])
        await expectError(.permission) { try await zoneOnly.present(try record("v")) }
    }

    @Test func anUnknownZoneIsReported() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let cloudflare = try provider(fake, ["CF_DNS_API_TOKEN": Self.token])
        await expectError(.zoneNotFound) {
            try await cloudflare.present(try record("v", name: "_acme-challenge.example.net", zone: "example.net"))
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
