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

    private func record(_ value: String, name: String = "_acme-challenge.example.com", zone: String = "example.com") throws -> ChallengeRecord {
        ChallengeRecord(name: try DomainName(name), value: value, zone: try DomainName(zone))
    }

    private func expectError(_ kind: DNSProviderError.Kind, hiding secrets: [String], _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected a \(kind) error, got success")
        } catch let error as DNSProviderError {
            #expect(error.kind == kind, "\(error)")
            for secret in secrets {
                #expect(!error.description.contains(secret), "key material leaked into an error")
            }
        } catch {
            Issue.record("expected DNSProviderError, got \(error)")
        }
    }

    @Test func twoValuesShareTheSetAndCleanUpRemovesOnlyItsOwn() async throws {
        let lab = try await Lab()
        defer { lab.close() }
        let gcloud = try lab.provider()
        let lookup = DNSTXTLookup()
        let first = try record("value-one"), second = try record("value-two")
        async let a: Void = gcloud.present(first)
        async let b: Void = gcloud.present(second)  // at the same time: both must end up in the set
        _ = try await (a, b)
        try await gcloud.present(first)  // again: not an error
        #expect(Set(try await lookup.lookupTXT(first.name, at: lab.fake.dnsAddress)) == ["value-one", "value-two"])
        try await gcloud.cleanUp(first)
        #expect(try await lookup.lookupTXT(first.name, at: lab.fake.dnsAddress) == ["value-two"])
        try await gcloud.cleanUp(first)  // already gone: not an error
        try await gcloud.cleanUp(second)
        #expect(try await lookup.lookupTXT(first.name, at: lab.fake.dnsAddress).isEmpty)
    }

    @Test func theAccountMayBeGivenInlineAndTheProjectDefaultsToTheKeys() async throws {
        let lab = try await Lab()
        defer { lab.close() }
        let json = try String(contentsOf: lab.account, encoding: .utf8)
        let gcloud = try GCloudProvider(credentials: DNSCredentials(["GCE_SERVICE_ACCOUNT": json, "GCE_API_URL": lab.fake.url + "/dns/v1"], environment: [:]),
                                        context: DNSProviderContext())
        #expect(gcloud.project == "gatehouse-test")
        let deep = try record("inline", name: "_acme-challenge.a.example.org", zone: "example.org")
        try await gcloud.present(deep)
        #expect(try await DNSTXTLookup().lookupTXT(deep.name, at: lab.fake.dnsAddress) == ["inline"])
        try await gcloud.cleanUp(deep)
    }

    @Test func failuresAreClassifiedAndTheKeyNeverShows() async throws {
        let lab = try await Lab()
        defer { lab.close() }
        let secrets = try lab.keyLines()
        #expect(secrets.count > 10)
        await expectError(.authentication, hiding: secrets) { try await lab.provider(account: lab.stranger).present(try self.record("v")) }
        await expectError(.permission, hiding: secrets) { try await lab.provider(["GCE_PROJECT": "someone-elses"]).present(try self.record("v")) }
        await expectError(.zoneNotFound, hiding: secrets) {
            try await lab.provider().present(try self.record("v", name: "_acme-challenge.example.net", zone: "example.net"))
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
