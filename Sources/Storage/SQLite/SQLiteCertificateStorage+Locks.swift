import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage {
    /// See ``CertificateStorage/tryLock(name:owner:ttl:)``.
    ///
    /// One upsert statement decides: it inserts the lock, or takes over a row that has expired
    /// or already belongs to `owner`, and returns a row only when it wrote. SQLite runs it under
    /// the database write lock, so of several instances racing, exactly one gets a row.
    public func tryLock(name: String, owner: String, ttl: Duration) async throws -> Bool {
        try await run("take lock \(name)") {
            let now = self.now
            let rows = try await query(
                """
                INSERT INTO locks (name, owner, expires_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE locks.expires_at <= ?4 OR locks.owner = excluded.owner
                RETURNING owner
                """,
                [.text(name), .text(owner), SQLiteValues.time(now.adding(ttl)), SQLiteValues.time(now)]
            )
            return !rows.isEmpty
        }
    }

    /// See ``CertificateStorage/refreshLock(name:owner:ttl:)``.
    public func refreshLock(name: String, owner: String, ttl: Duration) async throws -> Bool {
        try await run("refresh lock \(name)") {
            let now = self.now
            let rows = try await query(
                "UPDATE locks SET expires_at = ?3 WHERE name = ?1 AND owner = ?2 AND expires_at > ?4 RETURNING name",
                [.text(name), .text(owner), SQLiteValues.time(now.adding(ttl)), SQLiteValues.time(now)]
            )
            return !rows.isEmpty
        }
    }

    /// See ``CertificateStorage/unlock(name:owner:)``.
    public func unlock(name: String, owner: String) async throws {
        try await run("release lock \(name)") {
            let rows = try await query(
                "DELETE FROM locks WHERE name = ?1 AND owner = ?2 RETURNING name",
                [.text(name), .text(owner)]
            )
            if rows.isEmpty {
                throw StorageError.lockNotHeld(name: name, owner: owner)
            }
        }
    }
}

extension Date {
    /// This date moved by `duration`.
    func adding(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }
}
