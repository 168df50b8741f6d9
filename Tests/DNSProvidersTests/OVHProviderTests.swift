import AsyncHTTPClient
import DNS
import Foundation
import Testing

@testable import DNSProviders

/// `ovh` against tests/integration/dnsfakes/ovh.py, which recomputes every request's signature
/// and publishes records only when the zone is refreshed, as OVH does.
@Suite struct OVHProviderTests {
    static let applicationKey = "ak-5a1b2c3d"
    static let applicationSecret = "as-secret-8e7f6a5b4c"
    static let consumerKey = "ck-secret-1f2e3d4c5b"
    static let fakeCredentials = ["AK": applicationKey, "AS": applicationSecret, "CK": consumerKey]

    func provider(_ fake: FakeProviderProcess, _ overrides: [String: String] = [:]) throws -> OVHProvider {
        var entries = [
            "OVH_ENDPOINT": fake.url + "/1.0",
            "OVH_APPLICATION_KEY": Self.applicationKey,
            "OVH_APPLICATION_SECRET": Self.applicationSecret,
            "OVH_CONSUMER_KEY": Self.consumerKey,
        ]
        entries.merge(overrides) { $1 }
        return try OVHProvider(credentials: DNSCredentials(entries.filter { !$0.value.isEmpty }, environment: [:]))
    }

    func startFake(_ extra: [String: String] = [:]) async throws -> FakeProviderProcess {
        try await FakeProviderProcess("ovh", zones: ["example.com"], credentials: Self.fakeCredentials.merging(extra) { $1 })
    }

    /// Known answers published in OVH's own Go SDK tests (github.com/ovh/go-ovh, ovh/ovh_test.go,
    /// `TestAllAPIMethods`: revoked credentials, time 1457018875, URL https://eu.api.ovh.com/1.0/auth,
    /// body `{"a":"b","c":"d"}` for POST and PUT, none for GET and DELETE).
    @Test(arguments: [
        ("GET", "", "$1$e9556054b6309771395efa467c22e627407461ad"),
        ("POST", #"{"a":"b","c":"d"}"#, "$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1"),
        ("PUT", #"{"a":"b","c":"d"}"#, "$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b"),
        ("DELETE", "", "$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85"),
    ])
    func theSignatureMatchesOVHsPublishedKnownAnswers(method: String, body: String, expected: String) {
        let signer = OVHRequestSigner(applicationKey: "TDPKJdwZwAQPwKX2", applicationSecret: "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk", consumerKey: "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY")
        #expect(signer.signature(method: method, url: "https://eu.api.ovh.com/1.0/auth", body: body, timestamp: 1457018875) == expected)
        ProviderContract.expectHidden(["9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk", "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY"], in: signer)
    }

    @Test func twoValuesShareANameAndCleanUpRemovesOnlyItsOwn() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        try await ProviderContract.checkValuesCoexist(try provider(fake), fake: fake, neighbour: "_acme-challenge.www.example.com", atApex: true)
    }

    @Test func aWrongSecretOrConsumerKeyIsAnAuthenticationFailureThatShowsNoSecret() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        for (variable, wrong) in [("OVH_APPLICATION_SECRET", "as-wrong-77aa"), ("OVH_CONSUMER_KEY", "ck-wrong-88bb"), ("OVH_APPLICATION_KEY", "ak-wrong-99cc")] {
            let ovh = try provider(fake, [variable: wrong])
            let secrets = [wrong, Self.applicationSecret, Self.consumerKey]
            let error = await ProviderContract.expectFailure(.authentication, provider: "ovh", hiding: secrets) {
                try await ovh.present(ProviderContract.record("v"))
            }
            #expect(error?.kind == .authentication, "\(variable)")
            ProviderContract.expectHidden(secrets, in: ovh)
        }
        #expect(try await ProviderContract.txt("_acme-challenge.example.com", at: fake).isEmpty)
    }

    @Test func aZoneTheAccountDoesNotHoldIsZoneNotFound() async throws {
        let fake = try await startFake()
        defer { fake.stop() }
        await ProviderContract.expectFailure(.zoneNotFound, provider: "ovh", hiding: [Self.applicationSecret, Self.consumerKey]) {
            try await provider(fake).present(ProviderContract.record("v", name: "_acme-challenge.example.org", zone: "example.org"))
        }
    }

    @Test func anAccessTokenAndOAuth2ClientCredentialsAuthenticateToo() async throws {
        let fake = try await startFake(["TOKEN": "at-secret-4455", "CLIENT_ID": "client-1", "CLIENT_SECRET": "cs-secret-6677"])
        defer { fake.stop() }
        let noKeys = ["OVH_APPLICATION_KEY": "", "OVH_APPLICATION_SECRET": "", "OVH_CONSUMER_KEY": ""]
        let bearer = try provider(fake, noKeys.merging(["OVH_ACCESS_TOKEN": "at-secret-4455"]) { $1 })
        try await bearer.present(ProviderContract.record("by-token"))
        let oauth = try provider(fake, noKeys.merging(["OVH_CLIENT_ID": "client-1", "OVH_CLIENT_SECRET": "cs-secret-6677"]) { $1 })
        try await oauth.present(ProviderContract.record("by-oauth2"))
        #expect(try await ProviderContract.txt("_acme-challenge.example.com", at: fake) == ["by-oauth2", "by-token"])
        try await oauth.cleanUp(ProviderContract.record("by-token"))
        try await bearer.cleanUp(ProviderContract.record("by-oauth2"))
        #expect(try await ProviderContract.txt("_acme-challenge.example.com", at: fake).isEmpty)

        let wrongClient = try provider(fake, noKeys.merging(["OVH_CLIENT_ID": "client-1", "OVH_CLIENT_SECRET": "cs-wrong"]) { $1 })
        await ProviderContract.expectFailure(.authentication, provider: "ovh", hiding: ["cs-wrong", "cs-secret-6677", "at-secret-4455"]) {
            try await wrongClient.present(ProviderContract.record("v"))
        }
    }

    @Test func missingOrIncompleteCredentialsAreConfigurationErrorsNamingTheVariables() throws {
        func detail(_ entries: [String: String]) -> String? {
            ProviderContract.configurationDetail(entries, OVHProvider.init(credentials:context:))
        }
        #expect(detail([:])?.contains("OVH_ENDPOINT") == true)
        #expect(detail(["OVH_ENDPOINT": "ovh-eu"])?.contains("OVH_APPLICATION_KEY") == true)
        let partial = detail(["OVH_ENDPOINT": "ovh-eu", "OVH_APPLICATION_KEY": "k", "OVH_APPLICATION_SECRET": "s3cr3t"])
        #expect(partial?.contains("OVH_CONSUMER_KEY") == true)
        #expect(partial?.contains("s3cr3t") == false)
        #expect(detail(["OVH_ENDPOINT": "ovh-mars", "OVH_ACCESS_TOKEN": "t"])?.contains("ovh-mars") == true)
        let eu = try OVHProvider(credentials: DNSCredentials(["OVH_ENDPOINT": "ovh-eu", "OVH_ACCESS_TOKEN": "t"], environment: [:]))
        #expect(eu.baseURL == "https://eu.api.ovh.com/1.0")
        #expect(eu.configuredTTL == nil)
        #expect(DNSProviderRegistry.kind(named: "ovh")?.environmentPrefix == "OVH")
    }
}
