import AsyncHTTPClient
import DNS
import Foundation
import NIOHTTP1
import Testing

@testable import DNSProviders

/// The fakes' shared machinery (tests/integration/dnsfakes/base.py and fake_dns.py), checked
/// through ``ProviderHTTPClient`` and the DNS client, so provider tests can rely on it.
@Suite struct FakeProviderMachineryTests {
    @Test func recordsCreatedThroughTheAPIAreServedOverDNSAndErrorsAreClassified() async throws {
        let fake = try await FakeProviderProcess("example", zones: ["example.com"], credentials: ["TOKEN": "good"])
        defer { fake.stop() }
        let client = ProviderHTTPClient(provider: "example", client: .shared)
        let name = try DomainName("_acme-challenge.www.example.com")

        var headers = HTTPHeaders([("Authorization", "Bearer good")])
        let created = try await client.sendJSON(.POST, fake.url + "/records", headers: headers, json: ["name": "\(name)", "value": "v1"])
        #expect(created.status == 201)
        let lookup = DNSTXTLookup()
        #expect(try await lookup.lookupTXT(name, at: fake.dnsAddress) == ["v1"])

        headers.replaceOrAdd(name: "Authorization", value: "Bearer wrong")
        let refused = try await client.sendJSON(.POST, fake.url + "/records", headers: headers, json: ["name": "\(name)", "value": "v2"])
        #expect(client.classify(refused, message: "bad token").kind == .authentication)
        headers.replaceOrAdd(name: "Authorization", value: "Bearer good")
        let unknown = try await client.sendJSON(.POST, fake.url + "/records", headers: headers, json: ["name": "_acme-challenge.other.org", "value": "v"])
        #expect(client.classify(unknown, message: "").kind == .zoneNotFound)

        let removed = try await client.sendJSON(.DELETE, fake.url + "/records", headers: headers, json: ["name": "\(name)", "value": "v1"])
        #expect(removed.status == 204)
        #expect(try await lookup.lookupTXT(name, at: fake.dnsAddress).isEmpty)
    }

    @Test func anUnreachableServiceIsANetworkError() async throws {
        let client = ProviderHTTPClient(provider: "example", client: .shared, timeout: .seconds(2))
        await #expect {
            _ = try await client.send(.GET, "http://127.0.0.1:1/records")
        } throws: { error in
            (error as? DNSProviderError)?.kind == .network
        }
    }
}
