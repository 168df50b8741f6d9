import Admin
import Foundation
import Storage

/// Certificate operations on stored records without a CA: renewal sets the renewal time, as the
/// gateway's do; revocation marks the record revoked (the CA side is tested with pebble).
struct StoredCertificateControl: CertificateControl {
    let storage: SQLiteCertificateStorage
    let resolvers = ["le"]

    func issue(names: [String], resolver: String, challenge: String?, dnsCredential: String?) async throws -> CertificateRecord {
        if let existing = try await storage.certificate(resolver: resolver, names: names) { return existing }
        return try await storage.insertCertificate(CertificateRecord(resolver: resolver, names: names, status: .pending, challenge: challenge,
                                                                     dnsCredential: dnsCredential))
    }

    func certificates() async throws -> [CertificateRecord] {
        try await storage.certificates(resolver: nil)
    }

    func certificate(id: String) async throws -> CertificateRecord? {
        try await storage.certificate(id: id)
    }

    func requestRenewal(id: String) async throws -> CertificateRecord {
        guard var record = try await storage.certificate(id: id) else { throw Missing(id: id) }
        record.renewalTime = Date()
        return try await storage.updateCertificate(record)
    }

    func revoke(id: String, reason: Int?) async throws -> CertificateRecord {
        guard var record = try await storage.certificate(id: id) else { throw Missing(id: id) }
        record.status = .revoked
        record.statusReason = "revoked by operator" + (reason.map { ", reason \($0)" } ?? "")
        return try await storage.updateCertificate(record)
    }

    struct Missing: Error, CustomStringConvertible {
        let id: String
        var description: String { "no certificate \(id)" }
    }
}

/// Certificate operations whose changes fail as a CA refusing would.
struct RefusingCertificateControl: CertificateControl {
    let storage: SQLiteCertificateStorage
    let resolvers = ["le"]

    func issue(names: [String], resolver: String, challenge: String?, dnsCredential: String?) async throws -> CertificateRecord { throw Refused() }

    func certificates() async throws -> [CertificateRecord] { try await storage.certificates(resolver: nil) }
    func certificate(id: String) async throws -> CertificateRecord? { try await storage.certificate(id: id) }
    func requestRenewal(id: String) async throws -> CertificateRecord { throw Refused() }
    func revoke(id: String, reason: Int?) async throws -> CertificateRecord { throw Refused() }

    struct Refused: Error, CustomStringConvertible {
        var description: String { "urn:ietf:params:acme:error:unauthorized: the CA refused" }
    }
}

/// Text in the fixture's private key that must never reach an answer.
let fixtureKeyMarker = "FIXTUREKEYMATERIALdoNotShow"

/// The fixture certificate's chain.
let fixtureChainPEM = "-----BEGIN CERTIFICATE-----\nMIIBfixtureLeaf\n-----END CERTIFICATE-----\n"

/// Stores a valid certificate for `a.test` (resolver `le`, 30 days left) with a private key,
/// and a failed one for `c.test`; returns the valid one.
@discardableResult
func insertFixtureCertificates(_ storage: SQLiteCertificateStorage, now: Date = Date()) async throws -> CertificateRecord {
    let valid = try await storage.insertCertificate(CertificateRecord(
        id: "cert-a", resolver: "le", names: ["a.test"], status: .valid, statusReason: "issued",
        chainPEM: fixtureChainPEM,
        privateKey: SecretBytes(utf8: "-----BEGIN PRIVATE KEY-----\n\(fixtureKeyMarker)\n-----END PRIVATE KEY-----\n"),
        keyType: "EC256", issuer: "CN=Pebble Intermediate CA", serialNumber: "0a1b2c",
        notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(30 * 86_400 + 3_600)
    ))
    try await storage.insertCertificate(CertificateRecord(
        id: "cert-c", resolver: "le", names: ["c.test"], status: .failed, statusReason: "order failed 1 time(s)",
        lastError: "urn:ietf:params:acme:error:dns: no such host"
    ))
    return valid
}
