import Foundation
import Testing
@testable import Storage

@Suite("DNS credentials: values sealed at rest, bound to their credential, names only in the clear")
struct DNSCredentialStoreTests {
    static let secret = "tsig-secret-c2VjcmV0LXZhbHVl"

    @Test("stored values come back decrypted; the files hold the names, never a value")
    func roundTrip() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage in
                let entries = ["RFC2136_NAMESERVER": "127.0.0.1:5353", "RFC2136_TSIG_SECRET": Self.secret]
                let record = try await storage.createCredential(name: "zone-a", provider: "rfc2136", entries: entries, createdBy: "ops")
                #expect(record.id.hasPrefix("dnscred-"))
                #expect(record.variableNames == ["RFC2136_NAMESERVER", "RFC2136_TSIG_SECRET"])
                #expect(try await storage.credentialEntries(id: record.id) == entries)
                #expect(try await storage.credential("zone-a")?.id == record.id)
                #expect(try await storage.credential(record.id)?.createdBy == "ops")
                #expect(try await storage.credentials().map(\.name) == ["zone-a"])
                for (name, bytes) in try allFileBytes(in: directory) {
                    #expect(!contains(bytes, Array(Self.secret.utf8)), "\(name) holds the secret")
                }
                await #expect(throws: DNSCredentialStoreError.duplicateName("zone-a")) {
                    try await storage.createCredential(name: "zone-a", provider: "rfc2136", entries: [:], createdBy: "ops")
                }
                await #expect(throws: DNSCredentialStoreError.invalidName("a b")) {
                    try await storage.createCredential(name: "a b", provider: "rfc2136", entries: [:], createdBy: "ops")
                }
            }
        }
    }

    @Test("a sealed value copied into another credential's row does not decrypt there")
    func boundToID() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage in
                let a = try await storage.createCredential(name: "a", provider: "rfc2136", entries: ["X": Self.secret], createdBy: "ops")
                let b = try await storage.createCredential(name: "b", provider: "rfc2136", entries: ["X": "other"], createdBy: "ops")
                try await storage.run("copy") {
                    try await storage.query(
                        "UPDATE dns_credentials SET sealed_entries = (SELECT sealed_entries FROM dns_credentials WHERE id = ?1) WHERE id = ?2",
                        [.text(a.id), .text(b.id)]
                    )
                }
                await #expect(throws: StorageError.self) { try await storage.credentialEntries(id: b.id) }
                #expect(try await storage.credentialEntries(id: a.id) == ["X": Self.secret])
            }
        }
    }

    @Test("test results are kept with the credential; delete removes it and its values")
    func testResultAndDelete() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage in
                let record = try await storage.createCredential(name: "a", provider: "rfc2136", entries: ["X": "1"], createdBy: "ops")
                #expect(try await storage.credential(record.id)?.lastTest == nil)
                let result = DNSCredentialTestResult(time: Date(timeIntervalSince1970: 1_800_000_000), domain: "example.test",
                                                     succeeded: false, failedStep: "present", failureKind: "authentication")
                try await storage.recordCredentialTest(id: record.id, result)
                #expect(try await storage.credential(record.id)?.lastTest == result)
                #expect(try await storage.deleteCredential(id: record.id)?.name == "a")
                #expect(try await storage.deleteCredential(id: record.id) == nil)
                #expect(try await storage.credentialEntries(id: record.id) == nil)
                #expect(try await storage.credentials().isEmpty)
            }
        }
    }
}
