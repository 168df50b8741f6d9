import Crypto
import DNS
import Foundation
import Testing

@testable import DNSProviders

/// ``Route53Provider`` against tests/integration/dnsfakes/route53.py, which follows Route 53's
/// REST contract and verifies each request's SigV4 signature with the secret it knows.
@Suite struct Route53Tests {
    static let keyID = "AKIDGATEHOUSETEST"
    static let secret = "route53-secret-key-0123456789abcdefghij"
    static let sessionToken = "route53-session-token-zyxwvut"
    static let secrets = [secret, sessionToken]

    private func startFake(_ extra: [String: String] = [:]) async throws -> FakeProviderProcess {
        try await FakeProviderProcess("route53", zones: ["example.com", "example.org"], credentials: [
            "AWS_ACCESS_KEY_ID": Self.keyID, "AWS_SECRET_ACCESS_KEY": Self.secret,
        ].merging(extra) { $1 })
    }

    private func provider(_ fake: FakeProviderProcess, _ entries: [String: String] = [:]) throws -> any DNSChallengeProvider {
        var all = ["AWS_ACCESS_KEY_ID": Self.keyID, "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_ENDPOINT_URL_ROUTE_53": fake.url,
                   "AWS_MAX_RETRIES": "0"]
        all.merge(entries) { $1 }
        return try Route53Provider.kind.make(DNSCredentials(all, environment: [:]), DNSProviderContext())
    }

    /// The fake's zone id for `zone` ("Z" + the first 13 hex digits of SHA-1 of the name).
    private func fakeZoneID(_ zone: String) -> String {
        "Z" + Insecure.SHA1.hash(data: Data(zone.utf8)).map { String(format: "%02x", $0) }.joined().prefix(13).uppercased()
    }

    private func expectError(_ kind: DNSProviderError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        await ProviderContract.expectFailure(kind, provider: "route53", hiding: Self.secrets, sourceLocation: sourceLocation, body)
    }

    @Test func twoValuesShareTheSetAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        // A and B at the same time: both must end up in the set; the last value's clean-up deletes the set.
        try await ProviderContract.checkValuesCoexist(try provider(fake), fake: fake, concurrently: true)
    }

    @Test func aGivenHostedZoneIdSkipsTheLookupAndASessionTokenIsSent() async throws {
        let fake = try await startFake(["AWS_SESSION_TOKEN": Self.sessionToken])
        defer { fake.stop() }
        let route53 = try provider(fake, ["AWS_SESSION_TOKEN": Self.sessionToken, "AWS_HOSTED_ZONE_ID": "/hostedzone/" + fakeZoneID("example.org")])
        let deep = try ProviderContract.record("in-org", name: "_acme-challenge.a.b.example.org", zone: "example.org")
        try await route53.present(deep)
        #expect(try await DNSTXTLookup().lookupTXT(deep.name, at: fake.dnsAddress) == ["in-org"])
        try await route53.cleanUp(deep)
        #expect(try await DNSTXTLookup().lookupTXT(deep.name, at: fake.dnsAddress).isEmpty)

        let withoutToken = try provider(fake)
        await expectError(.authentication) { try await withoutToken.present(try ProviderContract.record("v")) }
    }

    @Test func wrongCredentialsAreAuthenticationFailures() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let wrongSecret = try provider(fake, ["AWS_SECRET_ACCESS_KEY": "not-the-secret-0123456789"])
        await expectError(.authentication) { try await wrongSecret.present(try ProviderContract.record("v")) }
        let wrongKey = try provider(fake, ["AWS_ACCESS_KEY_ID": "AKIDUNKNOWN"])
        await expectError(.authentication) { try await wrongKey.cleanUp(try ProviderContract.record("v")) }
    }

    @Test func aCredentialWithoutWriteAccessIsAPermissionFailure() async throws {
        let fake = try await startFake(["DENY_WRITES": "1"])
        defer { fake.stop() }
        let route53 = try provider(fake)
        await expectError(.permission) { try await route53.present(try ProviderContract.record("v")) }
    }

    @Test func throttlingIsRetriedUpToAWSMaxRetries() async throws {
        let fake = try await startFake(["THROTTLE": "3"])  // two for the impatient provider, one retried by the patient one
        defer { fake.stop() }
        let impatient = try provider(fake, ["AWS_MAX_RETRIES": "1"])
        await expectError(.rateLimited) { try await impatient.present(try ProviderContract.record("v")) }  // two refusals, one retry
        let patient = try provider(fake, ["AWS_MAX_RETRIES": "3"])
        try await patient.present(try ProviderContract.record("after-throttling"))
        #expect(try await ProviderContract.txt("_acme-challenge.example.com", at: fake) == ["after-throttling"])
        try await patient.cleanUp(try ProviderContract.record("after-throttling"))
    }

    @Test func unknownZonesAreReported() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        let route53 = try provider(fake)
        await expectError(.zoneNotFound) {
            try await route53.present(try ProviderContract.record("v", name: "_acme-challenge.example.net", zone: "example.net"))
        }
        let wrongID = try provider(fake, ["AWS_HOSTED_ZONE_ID": "ZNOSUCHZONE42"])
        await expectError(.zoneNotFound) { try await wrongID.present(try ProviderContract.record("v")) }
    }

    @Test func missingOrUnsupportedSettingsAreConfigurationErrors() throws {
        #expect {
            _ = try Route53Provider.kind.make(DNSCredentials(["AWS_ACCESS_KEY_ID": Self.keyID], environment: [:]), DNSProviderContext())
        } throws: { error in
            (error as? DNSProviderError)?.kind == .configuration && (error as? DNSProviderError)?.detail.contains("AWS_SECRET_ACCESS_KEY") == true
        }
        #expect {
            _ = try Route53Provider.kind.make(DNSCredentials(["AWS_ACCESS_KEY_ID": Self.keyID, "AWS_SECRET_ACCESS_KEY": Self.secret,
                                                              "AWS_ASSUME_ROLE_ARN": "arn:aws:iam::1:role/x"], environment: [:]), DNSProviderContext())
        } throws: { error in
            guard let error = error as? DNSProviderError else { return false }
            return error.kind == .configuration && error.detail.contains("AWS_ASSUME_ROLE_ARN") && !error.description.contains(Self.secret)
        }
    }

    @Test func theEndpointFollowsThePartitionAndTheSDKOverride() throws {
        func endpoint(_ entries: [String: String]) throws -> String {
            let all = ["AWS_ACCESS_KEY_ID": Self.keyID, "AWS_SECRET_ACCESS_KEY": Self.secret].merging(entries) { $1 }
            return try Route53Provider(credentials: DNSCredentials(all, environment: [:]), context: DNSProviderContext()).endpoint
        }
        #expect(try endpoint([:]) == "https://route53.amazonaws.com")
        #expect(try endpoint(["AWS_REGION": "cn-north-1"]) == "https://route53.amazonaws.com.cn")
        #expect(try endpoint(["AWS_ENDPOINT_URL": "http://127.0.0.1:9/"]) == "http://127.0.0.1:9")
        #expect(try endpoint(["AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_ROUTE_53": "http://b:2"]) == "http://b:2")
    }

    @Test func txtValuesAreQuotedAndReadBack() {
        #expect(Route53Provider.quoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(Route53Provider.txtText("\"part one\" \"part two\"") == "part onepart two")
        #expect(Route53Provider.txtText(Route53Provider.quoted("x\"y")) == "x\"y")
    }
}
