import DNS
import Foundation
import Testing

@testable import DNSProviders

/// ``GCloudProvider`` against tests/integration/dnsfakes/gcloud.py, which follows Cloud DNS v1
/// and Google's OAuth 2.0 JWT bearer grant, and checks the JWT's RS256 signature with the
/// service account's public key. The fake makes the accounts (openssl) and writes their keys.
@Suite struct GCloudTests {
    /// A fake with its account key files in a private folder, removed by ``close()``.
    private struct Lab {
        let fake: FakeProviderProcess
        let folder: URL
        var account: URL { folder.appendingPathComponent("account.json") }
        var stranger: URL { folder.appendingPathComponent("stranger.json") }

        init() async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-gcloud-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            fake = try await FakeProviderProcess("gcloud", zones: ["example.com", "example.org"], credentials: [
                "ACCOUNT_FILE": folder.appendingPathComponent("account.json").path,
                "STRANGER_ACCOUNT_FILE": folder.appendingPathComponent("stranger.json").path,
            ])
        }

        func provider(_ entries: [String: String] = [:], account: URL? = nil) throws -> any DNSChallengeProvider {
            var all = ["GCE_SERVICE_ACCOUNT_FILE": (account ?? self.account).path, "GCE_API_URL": fake.url + "/dns/v1"]
            all.merge(entries) { $1 }
            return try GCloudProvider.kind.make(DNSCredentials(all, environment: [:]), DNSProviderContext())
        }

        /// Lines of the account's private key, which must never show.
        func keyLines() throws -> [String] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: account)) as! [String: Any]
            return (json["private_key"] as! String).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") }
        }

        func close() {
            fake.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func twoValuesShareTheSetAndCleanUpRemovesOnlyItsOwn() async throws {
        let lab = try await Lab()
        defer { lab.close() }
        // A and B at the same time: both must end up in the record set.
        try await ProviderContract.checkValuesCoexist(try lab.provider(), fake: lab.fake, concurrently: true)
    }

    @Test func theAccountMayBeGivenInlineAndTheProjectDefaultsToTheKeys() async throws {
        let lab = try await Lab()
        defer { lab.close() }
        let json = try String(contentsOf: lab.account, encoding: .utf8)
        let gcloud = try GCloudProvider(credentials: DNSCredentials(["GCE_SERVICE_ACCOUNT": json, "GCE_API_URL": lab.fake.url + "/dns/v1"], environment: [:]),
                                        context: DNSProviderContext())
        #expect(gcloud.project == "gatehouse-test")
        let deep = try ProviderContract.record("inline", name: "_acme-challenge.a.example.org", zone: "example.org")
        try await gcloud.present(deep)
        #expect(try await DNSTXTLookup().lookupTXT(deep.name, at: lab.fake.dnsAddress) == ["inline"])
        try await gcloud.cleanUp(deep)
    }

    @Test func failuresAreClassifiedAndTheKeyNeverShows() async throws {
        let lab = try await Lab()
        defer { lab.close() }
        let secrets = try lab.keyLines()
        #expect(secrets.count > 10)
        await ProviderContract.expectFailure(.authentication, provider: "gcloud", hiding: secrets) { try await lab.provider(account: lab.stranger).present(try ProviderContract.record("v")) }
        await ProviderContract.expectFailure(.permission, provider: "gcloud", hiding: secrets) { try await lab.provider(["GCE_PROJECT": "someone-elses"]).present(try ProviderContract.record("v")) }
        await ProviderContract.expectFailure(.zoneNotFound, provider: "gcloud", hiding: secrets) {
            try await lab.provider().present(try ProviderContract.record("v", name: "_acme-challenge.example.net", zone: "example.net"))
        }
    }

    @Test func missingOrBrokenAccountsAreConfigurationErrors() throws {
        #expect {
            _ = try GCloudProvider.kind.make(DNSCredentials([:], environment: [:]), DNSProviderContext())
        } throws: { error in
            (error as? DNSProviderError)?.kind == .configuration && (error as? DNSProviderError)?.detail.contains("GCE_SERVICE_ACCOUNT_FILE") == true
        }
        #expect {
            _ = try GCloudProvider.kind.make(DNSCredentials(["GCE_SERVICE_ACCOUNT": "{}", "GCE_IMPERSONATE_SERVICE_ACCOUNT": "x@y"], environment: [:]), DNSProviderContext())
        } throws: { error in
            (error as? DNSProviderError)?.detail.contains("GCE_IMPERSONATE_SERVICE_ACCOUNT") == true
        }
        let broken = #"{"type": "service_account", "client_email": "a@b", "token_uri": "https://oauth2.googleapis.com/token", "private_key": "-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----\n"}"#
        #expect {
            _ = try GCloudProvider.kind.make(DNSCredentials(["GCE_SERVICE_ACCOUNT": broken, "GCE_PROJECT": "p"], environment: [:]), DNSProviderContext())
        } throws: { error in
            guard let error = error as? DNSProviderError else { return false }
            return error.kind == .configuration && error.detail.contains("private_key") && !error.description.contains("SECRETSECRET")
        }
        #expect {
            _ = try GCloudProvider.kind.make(DNSCredentials(["GCE_SERVICE_ACCOUNT": #"{"type": "service_account", "private_key": "SECRETSECRET"}"#], environment: [:]), DNSProviderContext())
        } throws: { error in
            guard let error = error as? DNSProviderError else { return false }
            return error.kind == .configuration && error.detail.contains("client_email") && !error.description.contains("SECRETSECRET")
        }
    }
}
