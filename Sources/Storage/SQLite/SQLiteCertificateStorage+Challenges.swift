import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage {
    // MARK: HTTP-01

    /// See ``CertificateStorage/putHTTPChallenge(token:keyAuthorization:expiresAt:)``.
    public func putHTTPChallenge(token: String, keyAuthorization: String, expiresAt: Date) async throws {
        try await transaction("publish an HTTP-01 answer") {
            try await query("DELETE FROM http_challenges WHERE expires_at <= ?1", [SQLiteValues.time(now)])
            try await query(
                """
                INSERT INTO http_challenges (token, key_authorization, expires_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (token) DO UPDATE SET key_authorization = excluded.key_authorization, expires_at = excluded.expires_at
                """,
                [.text(token), .text(keyAuthorization), SQLiteValues.time(expiresAt)]
            )
        }
    }

    /// See ``CertificateStorage/httpChallenge(token:)``.
    public func httpChallenge(token: String) async throws -> String? {
        try await run("read an HTTP-01 answer") {
            try await query(
                "SELECT key_authorization FROM http_challenges WHERE token = ?1 AND expires_at > ?2",
                [.text(token), SQLiteValues.time(now)]
            ).first?.text("key_authorization")
        }
    }

    /// See ``CertificateStorage/removeHTTPChallenge(token:)``.
    public func removeHTTPChallenge(token: String) async throws {
        try await run("remove an HTTP-01 answer") {
            try await query("DELETE FROM http_challenges WHERE token = ?1", [.text(token)])
        }
    }

    // MARK: DNS-01

    /// See ``CertificateStorage/addDNSChallenge(recordName:value:expiresAt:)``. The record name
    /// is normalized like a certificate name (lowercase, no trailing dot).
    public func addDNSChallenge(recordName: String, value: String, expiresAt: Date) async throws {
        let name = try NameSet.normalize(recordName)
        try await transaction("publish a DNS-01 answer") {
            try await query("DELETE FROM dns_challenges WHERE expires_at <= ?1", [SQLiteValues.time(now)])
            try await query(
                """
                INSERT INTO dns_challenges (record_name, value, expires_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (record_name, value) DO UPDATE SET expires_at = excluded.expires_at
                """,
                [.text(name), .text(value), SQLiteValues.time(expiresAt)]
            )
        }
    }

    /// See ``CertificateStorage/dnsChallengeValues(recordName:)``.
    public func dnsChallengeValues(recordName: String) async throws -> [String] {
        let name = try NameSet.normalize(recordName)
        return try await run("read DNS-01 answers") {
            try await query(
                "SELECT value FROM dns_challenges WHERE record_name = ?1 AND expires_at > ?2 ORDER BY value",
                [.text(name), SQLiteValues.time(now)]
            ).compactMap { $0.text("value") }
        }
    }

    /// See ``CertificateStorage/removeDNSChallenge(recordName:value:)``.
    public func removeDNSChallenge(recordName: String, value: String) async throws {
        let name = try NameSet.normalize(recordName)
        try await run("remove a DNS-01 answer") {
            try await query("DELETE FROM dns_challenges WHERE record_name = ?1 AND value = ?2", [.text(name), .text(value)])
        }
    }

    // MARK: TLS-ALPN-01

    /// See ``CertificateStorage/putTLSALPNChallenge(_:)``. The identifier is normalized like a
    /// certificate name.
    public func putTLSALPNChallenge(_ answer: TLSALPNChallengeAnswer) async throws {
        let identifier = try NameSet.normalize(answer.identifier)
        let sealed = try secrets.seal(answer.privateKey.bytes, context: Self.tlsALPNKeyContext(identifier))
        try await transaction("publish a TLS-ALPN-01 answer") {
            try await query("DELETE FROM tls_alpn_challenges WHERE expires_at <= ?1", [SQLiteValues.time(now)])
            try await query(
                """
                INSERT INTO tls_alpn_challenges (identifier, certificate_pem, private_key, expires_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (identifier) DO UPDATE SET
                    certificate_pem = excluded.certificate_pem, private_key = excluded.private_key, expires_at = excluded.expires_at
                """,
                [.text(identifier), .text(answer.certificatePEM), SQLiteValues.blob(sealed), SQLiteValues.time(answer.expiresAt)]
            )
        }
    }

    /// See ``CertificateStorage/tlsALPNChallenge(identifier:)``.
    public func tlsALPNChallenge(identifier: String) async throws -> TLSALPNChallengeAnswer? {
        let identifier = try NameSet.normalize(identifier)
        return try await run("read a TLS-ALPN-01 answer") {
            let rows = try await query(
                "SELECT * FROM tls_alpn_challenges WHERE identifier = ?1 AND expires_at > ?2",
                [.text(identifier), SQLiteValues.time(now)]
            )
            guard let row = rows.first, let sealed = row.bytes("private_key") else { return nil }
            return TLSALPNChallengeAnswer(
                identifier: identifier,
                certificatePEM: row.text("certificate_pem") ?? "",
                privateKey: SecretBytes(try secrets.open(sealed, context: Self.tlsALPNKeyContext(identifier))),
                expiresAt: row.time("expires_at") ?? Date(timeIntervalSince1970: 0)
            )
        }
    }

    /// See ``CertificateStorage/removeTLSALPNChallenge(identifier:)``.
    public func removeTLSALPNChallenge(identifier: String) async throws {
        let identifier = try NameSet.normalize(identifier)
        try await run("remove a TLS-ALPN-01 answer") {
            try await query("DELETE FROM tls_alpn_challenges WHERE identifier = ?1", [.text(identifier)])
        }
    }

    static func tlsALPNKeyContext(_ identifier: String) -> String { "tls-alpn-key:\(identifier)" }
}
