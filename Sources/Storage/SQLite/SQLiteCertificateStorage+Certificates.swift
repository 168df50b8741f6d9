import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage {
    /// Stores a new record; see ``CertificateStorage/insertCertificate(_:)``.
    ///
    /// - Returns: The record as stored (names normalized, `updatedAt` set).
    @discardableResult
    public func insertCertificate(_ record: CertificateRecord) async throws -> CertificateRecord {
        try await transaction("store certificate \(record.id)") {
            try await insertCertificateRows(record, reason: record.statusReason)
        }
    }

    /// Replaces a record; see ``CertificateStorage/updateCertificate(_:)``.
    ///
    /// - Returns: The record as stored (names normalized, `updatedAt` set).
    @discardableResult
    public func updateCertificate(_ record: CertificateRecord) async throws -> CertificateRecord {
        try await transaction("update certificate \(record.id)") {
            let nameSet = try NameSet(record.names)
            let current = try await query(
                "SELECT status, status_reason, serial_number FROM certificates WHERE id = ?1", [.text(record.id)])
            guard let row = current.first else {
                throw StorageError.certificateNotFound(id: record.id)
            }
            let oldStatus = row.text("status").flatMap(CertificateStatus.init(rawValue:))
            if let other = try await certificateID(resolver: record.resolver, namesKey: nameSet.key), other != record.id {
                throw StorageError.duplicateCertificate(resolver: record.resolver, names: nameSet.names, existingID: other)
            }
            var stored = record
            stored.names = nameSet.names
            stored.updatedAt = now
            if oldStatus == .revoked, record.serialNumber != nil, row.text("serial_number") == record.serialNumber {
                // Revocation is final for that certificate: a writer holding an older copy of the
                // record (another process, a background pass) cannot make it servable again. A new
                // certificate (another serial) replaces it normally.
                stored.status = .revoked
                stored.statusReason = row.text("status_reason")
            }
            let columns = try columnValues(stored, nameSet: nameSet)
            let assignments = columns.indices.map { "\(columns[$0].0) = ?\($0 + 2)" }.joined(separator: ", ")
            try await query(
                "UPDATE certificates SET \(assignments) WHERE id = ?1",
                [.text(record.id)] + columns.map(\.1)
            )
            try await query("DELETE FROM certificate_names WHERE certificate_id = ?1", [.text(record.id)])
            try await insertNames(nameSet.names, certificateID: record.id)
            if oldStatus != stored.status {
                try await appendTransition(certificateID: record.id, from: oldStatus, to: stored.status, reason: stored.statusReason)
            }
            return stored
        }
    }

    /// Deletes a record; see ``CertificateStorage/deleteCertificate(id:)``.
    public func deleteCertificate(id: String) async throws {
        try await transaction("delete certificate \(id)") {
            try await query("DELETE FROM certificate_names WHERE certificate_id = ?1", [.text(id)])
            try await query("DELETE FROM certificates WHERE id = ?1", [.text(id)])
        }
    }

    /// See ``CertificateStorage/certificate(id:)``.
    public func certificate(id: String) async throws -> CertificateRecord? {
        try await run("read certificate \(id)") {
            try await query("SELECT * FROM certificates WHERE id = ?1", [.text(id)]).first.map(certificateRecord)
        }
    }

    /// See ``CertificateStorage/certificate(resolver:names:)``.
    public func certificate(resolver: String, names: [String]) async throws -> CertificateRecord? {
        let nameSet = try NameSet(names)
        return try await run("read certificate for \(nameSet)") {
            try await query(
                "SELECT * FROM certificates WHERE resolver = ?1 AND names_key = ?2",
                [.text(resolver), .text(nameSet.key)]
            ).first.map(certificateRecord)
        }
    }

    /// See ``CertificateStorage/certificates(resolver:)``.
    public func certificates(resolver: String?) async throws -> [CertificateRecord] {
        try await run("list certificates") {
            let rows: [SQLiteRow]
            if let resolver {
                rows = try await query("SELECT * FROM certificates WHERE resolver = ?1 ORDER BY names, id", [.text(resolver)])
            } else {
                rows = try await query("SELECT * FROM certificates ORDER BY names, resolver, id")
            }
            return try rows.map(certificateRecord)
        }
    }

    /// See ``CertificateStorage/validCertificate(covering:)``.
    public func validCertificate(covering name: String) async throws -> CertificateRecord? {
        let normalized = try NameSet.normalize(name)
        var wildcard = normalized
        if !normalized.hasPrefix("*."), let dot = normalized.firstIndex(of: "."), normalized.index(after: dot) < normalized.endIndex {
            wildcard = "*." + normalized[normalized.index(after: dot)...]
        }
        return try await run("find the certificate for \(normalized)") {
            let rows = try await query(
                """
                SELECT c.*, (n.name = ?1) AS exact_match
                FROM certificates c JOIN certificate_names n ON n.certificate_id = c.id
                WHERE n.name IN (?1, ?2)
                  AND c.status IN ('valid', 'renewing')
                  AND c.chain_pem IS NOT NULL
                  AND c.not_after > ?3
                  AND (c.not_before IS NULL OR c.not_before <= ?3)
                ORDER BY exact_match DESC, c.not_after DESC, c.id
                LIMIT 1
                """,
                [.text(normalized), .text(wildcard), SQLiteValues.time(now)]
            )
            return try rows.first.map(certificateRecord)
        }
    }

    /// See ``CertificateStorage/statusHistory(certificateID:)``.
    public func statusHistory(certificateID: String) async throws -> [StatusTransition] {
        try await run("read the status history of \(certificateID)") {
            try await query(
                "SELECT * FROM status_history WHERE certificate_id = ?1 ORDER BY sequence",
                [.text(certificateID)]
            ).map { row in
                StatusTransition(
                    certificateID: certificateID,
                    time: row.time("time") ?? Date(timeIntervalSince1970: 0),
                    from: row.text("from_status").flatMap(CertificateStatus.init(rawValue:)),
                    to: try status(row.text("to_status"), column: "status_history.to_status"),
                    reason: row.text("reason")
                )
            }
        }
    }

    // MARK: Rows (call inside a transaction)

    /// Inserts the record, its names and its first transition.
    @discardableResult
    func insertCertificateRows(_ record: CertificateRecord, reason: String?) async throws -> CertificateRecord {
        let nameSet = try NameSet(record.names)
        if let existing = try await certificateID(resolver: record.resolver, namesKey: nameSet.key) {
            throw StorageError.duplicateCertificate(resolver: record.resolver, names: nameSet.names, existingID: existing)
        }
        var stored = record
        stored.names = nameSet.names
        stored.updatedAt = now
        let columns = try [("id", SQLiteData.text(record.id))] + columnValues(stored, nameSet: nameSet)
        let placeholders = columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        try await query(
            "INSERT INTO certificates (\(columns.map(\.0).joined(separator: ", "))) VALUES (\(placeholders))",
            columns.map(\.1)
        )
        try await insertNames(nameSet.names, certificateID: record.id)
        try await appendTransition(certificateID: record.id, from: nil, to: stored.status, reason: reason)
        return stored
    }

    /// The id of the record of `resolver` with this names key.
    func certificateID(resolver: String, namesKey: String) async throws -> String? {
        try await query(
            "SELECT id FROM certificates WHERE resolver = ?1 AND names_key = ?2",
            [.text(resolver), .text(namesKey)]
        ).first?.text("id")
    }

    private func insertNames(_ names: [String], certificateID: String) async throws {
        for name in names {
            try await query(
                "INSERT INTO certificate_names (certificate_id, name) VALUES (?1, ?2)",
                [.text(certificateID), .text(name)]
            )
        }
    }

    private func appendTransition(
        certificateID: String,
        from: CertificateStatus?,
        to: CertificateStatus,
        reason: String?
    ) async throws {
        try await query(
            "INSERT INTO status_history (certificate_id, time, from_status, to_status, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            [.text(certificateID), SQLiteValues.time(now), SQLiteValues.text(from?.rawValue), .text(to.rawValue), SQLiteValues.text(reason)]
        )
    }

    /// Every column but `id`, with the private keys sealed.
    private func columnValues(_ record: CertificateRecord, nameSet: NameSet) throws -> [(String, SQLiteData)] {
        let sealedKey = try record.privateKey.map {
            try secrets.seal($0.bytes, context: Self.certificateKeyContext(record.id))
        }
        let sealedOrderKey = try record.pendingOrder.map {
            try secrets.seal($0.privateKey.bytes, context: Self.orderKeyContext(record.id))
        }
        return [
            ("resolver", .text(record.resolver)),
            ("names", .text(nameSet.names.joined(separator: ","))),
            ("names_key", .text(nameSet.key)),
            ("status", .text(record.status.rawValue)),
            ("status_reason", SQLiteValues.text(record.statusReason)),
            ("chain_pem", SQLiteValues.text(record.chainPEM)),
            ("private_key", SQLiteValues.blob(sealedKey)),
            ("key_type", SQLiteValues.text(record.keyType)),
            ("issuer", SQLiteValues.text(record.issuer)),
            ("serial_number", SQLiteValues.text(record.serialNumber)),
            ("not_before", SQLiteValues.time(record.notBefore)),
            ("not_after", SQLiteValues.time(record.notAfter)),
            ("ari_certificate_id", SQLiteValues.text(record.ariCertificateID)),
            ("ari_window_start", SQLiteValues.time(record.ariWindow?.start)),
            ("ari_window_end", SQLiteValues.time(record.ariWindow?.end)),
            ("renewal_time", SQLiteValues.time(record.renewalTime)),
            ("next_check_time", SQLiteValues.time(record.nextCheckTime)),
            ("profile", SQLiteValues.text(record.profile)),
            ("challenge", SQLiteValues.text(record.challenge)),
            ("dns_credential", SQLiteValues.text(record.dnsCredential)),
            ("order_url", SQLiteValues.text(record.pendingOrder?.orderURL)),
            ("order_private_key", SQLiteValues.blob(sealedOrderKey)),
            ("order_key_type", SQLiteValues.text(record.pendingOrder?.keyType)),
            ("failure_count", .integer(record.failureCount)),
            ("next_retry_time", SQLiteValues.time(record.nextRetryTime)),
            ("last_error", SQLiteValues.text(record.lastError)),
            ("unused_since", SQLiteValues.time(record.unusedSince)),
            ("source", .text(record.source.rawValue)),
            ("created_at", SQLiteValues.time(record.createdAt)),
            ("updated_at", SQLiteValues.time(record.updatedAt)),
        ]
    }

    private func certificateRecord(_ row: SQLiteRow) throws -> CertificateRecord {
        let id = row.text("id") ?? ""
        let privateKey = try row.bytes("private_key").map {
            SecretBytes(try secrets.open($0, context: Self.certificateKeyContext(id)))
        }
        let pendingOrder = try row.bytes("order_private_key").map {
            PendingOrder(
                orderURL: row.text("order_url"),
                privateKey: SecretBytes(try secrets.open($0, context: Self.orderKeyContext(id))),
                keyType: row.text("order_key_type") ?? ""
            )
        }
        var ariWindow: RenewalWindow?
        if let start = row.time("ari_window_start"), let end = row.time("ari_window_end") {
            ariWindow = RenewalWindow(start: start, end: end)
        }
        return CertificateRecord(
            id: id,
            resolver: row.text("resolver") ?? "",
            names: (row.text("names") ?? "").split(separator: ",").map(String.init),
            status: try status(row.text("status"), column: "certificates.status"),
            statusReason: row.text("status_reason"),
            chainPEM: row.text("chain_pem"),
            privateKey: privateKey,
            keyType: row.text("key_type"),
            issuer: row.text("issuer"),
            serialNumber: row.text("serial_number"),
            notBefore: row.time("not_before"),
            notAfter: row.time("not_after"),
            ariCertificateID: row.text("ari_certificate_id"),
            ariWindow: ariWindow,
            renewalTime: row.time("renewal_time"),
            nextCheckTime: row.time("next_check_time"),
            profile: row.text("profile"),
            challenge: row.text("challenge"),
            dnsCredential: row.text("dns_credential"),
            pendingOrder: pendingOrder,
            failureCount: row.integer("failure_count") ?? 0,
            nextRetryTime: row.time("next_retry_time"),
            lastError: row.text("last_error"),
            unusedSince: row.time("unused_since"),
            source: CertificateSource(rawValue: row.text("source") ?? CertificateSource.acme.rawValue),
            createdAt: row.time("created_at") ?? Date(timeIntervalSince1970: 0),
            updatedAt: row.time("updated_at") ?? Date(timeIntervalSince1970: 0)
        )
    }

    private func status(_ text: String?, column: String) throws -> CertificateStatus {
        guard let text, let status = CertificateStatus(rawValue: text) else {
            throw StorageError.database(
                "read \(column)", path: databasePath, UnknownValue(value: text ?? "NULL")
            )
        }
        return status
    }

    static func certificateKeyContext(_ id: String) -> String { "certificate-key:\(id)" }
    static func orderKeyContext(_ id: String) -> String { "order-key:\(id)" }
}

/// A stored value this version does not know (written by a newer version, or damaged).
struct UnknownValue: Error, CustomStringConvertible {
    var value: String
    var description: String { "unknown value \(value)" }
}
