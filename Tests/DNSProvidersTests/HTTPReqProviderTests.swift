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

    func record(_ value: String, _ name: String = "_acme-challenge.example.com") throws -> ChallengeRecord {
        let name = try DomainName(name)
        // httpreq does not need the zone: the record carries the name's parent, not looked up.
        return ChallengeRecord(name: name, value: value, zone: try DomainName(name.description.split(separator: ".", maxSplits: 1).last.map(String.init) ?? "."))
    }

    func txt(_ name: String, at fake: FakeProviderProcess) async throws -> Set<String> {
        Set(try await DNSTXTLookup().lookupTXT(try DomainName(name), at: fake.dnsAddress))
    }

    @Test func twoValuesShareANameAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await FakeProviderProcess("httpreq", zones: ["example.com"], credentials: ["USERNAME": "acme", "PASSWORD": Self.password])
        defer { fake.stop() }
        let hook = try provider(fake)
        #expect(hook.needsZone == false)

        try await hook.present(record("apex-value"))
        try await hook.present(record("wildcard-value"))
        try await hook.present(record("apex-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake) == ["apex-value", "wildcard-value"])
        try await hook.cleanUp(record("apex-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake) == ["wildcard-value"])
        try await hook.cleanUp(record("apex-value"))
        try await hook.cleanUp(record("wildcard-value"))
        #expect(try await txt("_acme-challenge.example.com", at: fake).isEmpty)
    }

    @Test func aWrongPasswordIsAnAuthenticationFailureThatDoesNotShowIt() async throws {
        let fake = try await FakeProviderProcess("httpreq", zones: ["example.com"], credentials: ["USERNAME": "acme", "PASSWORD": Self.password])
        defer { fake.stop() }
        let hook = try provider(fake, password: "wrong-password-55d0")
        let error = await #expect(throws: DNSProviderError.self) { try await hook.present(record("v")) }
        #expect(error?.kind == .authentication)
        #expect(error.map { !$0.description.contains("wrong-password-55d0") } == true)
        #expect(!"\(hook)".contains("wrong-password-55d0"))
    }

    @Test func aNameTheWebhookHasNoZoneForIsZoneNotFound() async throws {
        let fake = try await FakeProviderProcess("httpreq", zones: ["example.com"], credentials: ["USERNAME": "acme", "PASSWORD": Self.password])
        defer { fake.stop() }
        let error = await #expect(throws: DNSProviderError.self) { try await provider(fake).present(record("v", "_acme-challenge.example.org")) }
        #expect(error?.kind == .zoneNotFound)
        #expect(error?.detail.contains("example.org") == true)
    }

    @Test func rawModeAndMissingOrHalfSetVariablesAreConfigurationErrors() throws {
        func detail(_ entries: [String: String]) -> String? {
            do {
                _ = try HTTPReqProvider(credentials: DNSCredentials(entries, environment: [:]))
                return nil
            } catch {
                return error.kind == .configuration ? error.detail : "wrong kind \(error.kind)"
            }
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
