import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage: DNSCredentialStore {
    /// The context a credential's values are sealed under: bound to its id.
    static func dnsCredentialContext(id: String) -> String { "dns-credential:\(id)" }

    /// See ``DNSCredentialStore/createCredential(name:provider:entries:createdBy:)``.
    public func createCredential(name: String, provider: String, entries: [String: String], createdBy: String) async throws -> DNSCredentialRecord {
        guard TokenSecret.isValidName(name) else { throw DNSCredentialStoreError.invalidName(name) }
        let id = "dnscred-" + (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let record = DNSCredentialRecord(id: id, name: name, provider: provider, variableNames: entries.keys.sorted(),
                                         createdAt: now, createdBy: createdBy)
        let plaintext = try JSONEncoder().encode(entries)
        let sealed = try secrets.seal(Array(plaintext), context: Self.dnsCredentialContext(id: id))
        let inserted = try await run("store DNS credential \(name)") {
            let rows = try await query(
                """
                INSERT INTO dns_credentials (id, name, provider, variable_names, sealed_entries, created_at, created_by)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO NOTHING RETURNING id
                """,
                [.text(id), .text(name), .text(provider), .text(record.variableNames.joined(separator: ",")),
                 SQLiteValues.blob(sealed), SQLiteValues.time(record.createdAt), .text(createdBy)]
            )
            return !rows.isEmpty
        }
        guard inserted else { throw DNSCredentialStoreError.duplicateName(name) }
        return record
    }

    /// See ``DNSCredentialStore/credentials()``.
    public func credentials() async throws -> [DNSCredentialRecord] {
        try await run("list DNS credentials") {
            try await query("SELECT * FROM dns_credentials ORDER BY name").map(Self.dnsCredentialRecord)
        }
    }

    /// See ``DNSCredentialStore/credential(_:)``.
    public func credential(_ reference: String) async throws -> DNSCredentialRecord? {
        try await run("read DNS credential \(reference)") {
            try await query("SELECT * FROM dns_credentials WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                            [.text(reference)]).first.map(Self.dnsCredentialRecord)
        }
    }

    /// See ``DNSCredentialStore/credentialEntries(id:)``.
    public func credentialEntries(id: String) async throws -> [String: String]? {
        let sealed = try await run("read DNS credential \(id)") {
            try await query("SELECT sealed_entries FROM dns_credentials WHERE id = ?1", [.text(id)]).first?.bytes("sealed_entries")
        }
        guard let sealed else { return nil }
        let context = Self.dnsCredentialContext(id: id)
        let plaintext = try secrets.open(sealed, context: context)
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(plaintext))
        } catch {
            throw StorageError.corruptSecret(context, "the decrypted value is not a set of variables")
        }
    }

    /// See ``DNSCredentialStore/deleteCredential(id:)``.
    public func deleteCredential(id: String) async throws -> DNSCredentialRecord? {
        try await run("delete DNS credential \(id)") {
            try await query("DELETE FROM dns_credentials WHERE id = ?1 RETURNING *", [.text(id)]).first.map(Self.dnsCredentialRecord)
        }
    }

    /// See ``DNSCredentialStore/recordCredentialTest(id:_:)``.
    public func recordCredentialTest(id: String, _ result: DNSCredentialTestResult) async throws {
        try await run("record a test of DNS credential \(id)") {
            try await query(
                """
                UPDATE dns_credentials SET last_test_at = ?2, last_test_domain = ?3, last_test_succeeded = ?4,
                    last_test_failed_step = ?5, last_test_failure_kind = ?6 WHERE id = ?1
                """,
                [.text(id), SQLiteValues.time(result.time), .text(result.domain), .integer(result.succeeded ? 1 : 0),
                 SQLiteValues.text(result.failedStep), SQLiteValues.text(result.failureKind)]
            )
        }
    }

    private static func dnsCredentialRecord(_ row: SQLiteRow) -> DNSCredentialRecord {
        var lastTest: DNSCredentialTestResult?
        if let time = row.time("last_test_at") {
            lastTest = DNSCredentialTestResult(
                time: time, domain: row.text("last_test_domain") ?? "", succeeded: row.integer("last_test_succeeded") == 1,
                failedStep: row.text("last_test_failed_step"), failureKind: row.text("last_test_failure_kind")
            )
        }
        return DNSCredentialRecord(
            id: row.text("id") ?? "",
            name: row.text("name") ?? "",
            provider: row.text("provider") ?? "",
            variableNames: (row.text("variable_names") ?? "").split(separator: ",").map(String.init),
            createdAt: row.time("created_at") ?? Date(timeIntervalSince1970: 0),
            createdBy: row.text("created_by") ?? "",
            lastTest: lastTest
        )
    }
}
