import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage {
    /// See ``CertificateStorage/account(resolver:directoryURL:)``.
    public func account(resolver: String, directoryURL: String) async throws -> AccountRecord? {
        try await run("read the account of \(resolver)") {
            let rows = try await query(
                "SELECT * FROM accounts WHERE resolver = ?1 AND directory_url = ?2",
                [.text(resolver), .text(directoryURL)]
            )
            guard let row = rows.first, let sealed = row.bytes("private_key") else { return nil }
            let key = try secrets.open(sealed, context: Self.accountKeyContext(resolver: resolver, directoryURL: directoryURL))
            return AccountRecord(
                resolver: resolver,
                directoryURL: directoryURL,
                email: row.text("email"),
                accountURL: row.text("account_url"),
                privateKey: SecretBytes(key),
                keyType: row.text("key_type") ?? "",
                createdAt: row.time("created_at") ?? Date(timeIntervalSince1970: 0)
            )
        }
    }

    /// See ``CertificateStorage/saveAccount(_:)``.
    public func saveAccount(_ account: AccountRecord) async throws {
        try await run("store the account of \(account.resolver)") {
            try await upsertAccountRow(account)
        }
    }

    /// Inserts or replaces the account row. Call inside ``run(_:_:)``.
    func upsertAccountRow(_ account: AccountRecord) async throws {
        let sealed = try secrets.seal(
            account.privateKey.bytes,
            context: Self.accountKeyContext(resolver: account.resolver, directoryURL: account.directoryURL)
        )
        try await query(
            """
            INSERT INTO accounts (resolver, directory_url, email, account_url, private_key, key_type, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (resolver, directory_url) DO UPDATE SET
                email = excluded.email, account_url = excluded.account_url, private_key = excluded.private_key,
                key_type = excluded.key_type, created_at = excluded.created_at
            """,
            [
                .text(account.resolver), .text(account.directoryURL), SQLiteValues.text(account.email),
                SQLiteValues.text(account.accountURL), SQLiteValues.blob(sealed), .text(account.keyType),
                SQLiteValues.time(account.createdAt),
            ]
        )
    }

    static func accountKeyContext(resolver: String, directoryURL: String) -> String {
        "account-key:\(resolver)\n\(directoryURL)"
    }
}
