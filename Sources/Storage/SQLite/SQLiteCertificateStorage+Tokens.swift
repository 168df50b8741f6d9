import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage: TokenStore {
    /// See ``TokenStore/createToken(name:scopes:)``.
    public func createToken(name: String, scopes: [String]) async throws -> IssuedToken {
        guard TokenSecret.isValidName(name) else {
            throw StorageError.invalidTokenName(name)
        }
        let record = TokenRecord(name: name, scopes: Array(Set(scopes)).sorted(), createdAt: now)
        let secret = TokenSecret.generate()
        try await run("create token \(name)") {
            let rows = try await query(
                """
                INSERT INTO admin_tokens (name, token_hash, scopes, created_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (name) DO NOTHING RETURNING name
                """,
                [.text(name), .text(TokenSecret.hash(secret)), .text(record.scopes.joined(separator: ",")),
                 SQLiteValues.time(record.createdAt)]
            )
            if rows.isEmpty {
                throw StorageError.duplicateToken(name)
            }
        }
        return IssuedToken(secret: secret, record: record)
    }

    /// See ``TokenStore/authenticate(secret:)``. One statement finds the token by its hash and
    /// records the use.
    public func authenticate(secret: String) async throws -> TokenRecord? {
        try await run("check a token") {
            let rows = try await query(
                "UPDATE admin_tokens SET last_used_at = ?2 WHERE token_hash = ?1 RETURNING *",
                [.text(TokenSecret.hash(secret)), SQLiteValues.time(now)]
            )
            return rows.first.map(Self.tokenRecord)
        }
    }

    /// See ``TokenStore/tokens()``.
    public func tokens() async throws -> [TokenRecord] {
        try await run("list tokens") {
            try await query("SELECT * FROM admin_tokens ORDER BY name").map(Self.tokenRecord)
        }
    }

    /// See ``TokenStore/revokeToken(name:)``.
    public func revokeToken(name: String) async throws {
        try await run("revoke token \(name)") {
            let rows = try await query("DELETE FROM admin_tokens WHERE name = ?1 RETURNING name", [.text(name)])
            if rows.isEmpty {
                throw StorageError.tokenNotFound(name)
            }
        }
    }

    private static func tokenRecord(_ row: SQLiteRow) -> TokenRecord {
        TokenRecord(
            name: row.text("name") ?? "",
            scopes: (row.text("scopes") ?? "").split(separator: ",").map(String.init),
            createdAt: row.time("created_at") ?? Date(timeIntervalSince1970: 0),
            lastUsedAt: row.time("last_used_at")
        )
    }
}
