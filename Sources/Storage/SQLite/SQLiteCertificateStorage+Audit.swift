import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage {
    /// See ``CertificateStorage/appendAuditEvent(_:)``. The table refuses UPDATE and DELETE by
    /// triggers, so the log stays append-only even for someone with SQL access through Gatehouse.
    @discardableResult
    public func appendAuditEvent(_ event: AuditEvent) async throws -> AuditEvent {
        try await run("append audit event \(event.kind)") {
            try await appendAuditRow(event)
        }
    }

    /// See ``CertificateStorage/auditEvents(_:)``.
    public func auditEvents(_ query: AuditQuery) async throws -> [AuditEvent] {
        var conditions: [String] = []
        var binds: [SQLiteData] = []
        if let since = query.since {
            binds.append(SQLiteValues.time(since))
            conditions.append("time >= ?\(binds.count)")
        }
        if let certificateID = query.certificateID {
            binds.append(.text(certificateID))
            conditions.append("certificate_id = ?\(binds.count)")
        }
        var sql = "SELECT * FROM audit_log"
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.joined(separator: " AND ")
        }
        sql += query.order == .oldestFirst ? " ORDER BY sequence ASC" : " ORDER BY sequence DESC"
        if let limit = query.limit {
            binds.append(.integer(max(0, limit)))
            sql += " LIMIT ?\(binds.count)"
        }
        let statement = sql
        let values = binds
        return try await run("list audit events") {
            try await self.query(statement, values).map(auditEvent)
        }
    }

    /// Appends one event row. Call inside ``run(_:_:)``.
    @discardableResult
    func appendAuditRow(_ event: AuditEvent) async throws -> AuditEvent {
        try Self.checkAuditEvent(event)
        let names = String(decoding: try JSONEncoder().encode(event.names), as: UTF8.self)
        let rows = try await query(
            """
            INSERT INTO audit_log (time, kind, resolver, names, certificate_id, detail, node_id,
                                   actor, target, result, before_state, after_state)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING sequence
            """,
            [
                SQLiteValues.time(event.time), .text(event.kind.rawValue), SQLiteValues.text(event.resolver),
                .text(names), SQLiteValues.text(event.certificateID), .text(event.detail), SQLiteValues.text(event.nodeID),
                SQLiteValues.text(event.actor), SQLiteValues.text(event.target), SQLiteValues.text(event.result),
                SQLiteValues.text(event.before), SQLiteValues.text(event.after),
            ]
        )
        var stored = event
        stored.sequence = rows.first?.integer("sequence").map(Int64.init)
        return stored
    }

    /// Refuses private key material in the texts and before/after states that are not JSON objects.
    static func checkAuditEvent(_ event: AuditEvent) throws {
        for (field, text) in [("detail text", event.detail), ("before state", event.before), ("after state", event.after)] {
            guard let text else { continue }
            if text.contains("PRIVATE KEY-----") {
                throw StorageError.secretInAuditDetail(kind: event.kind, field: field)
            }
            if field != "detail text", AuditState(json: text) == nil {
                throw StorageError.invalidAuditState(kind: event.kind, field: field)
            }
        }
    }

    private func auditEvent(_ row: SQLiteRow) throws -> AuditEvent {
        let namesJSON = row.text("names") ?? "[]"
        let names = (try? JSONDecoder().decode([String].self, from: Data(namesJSON.utf8))) ?? []
        let kind = row.text("kind") ?? ""
        let detail = row.text("detail") ?? ""
        var event = AuditEvent(
            time: row.time("time") ?? Date(timeIntervalSince1970: 0),
            kind: AuditEventKind(rawValue: kind),
            resolver: row.text("resolver"),
            names: names,
            certificateID: row.text("certificate_id"),
            detail: detail,
            nodeID: row.text("node_id"),
            actor: row.text("actor"),
            target: row.text("target"),
            result: row.text("result"),
            before: row.text("before_state"),
            after: row.text("after_state")
        )
        // Admin changes written before migration 6 carry token and result in their detail, and
        // their target in the certificate column.
        if event.actor == nil, event.result == nil, let legacy = LegacyAdminDetail.parse(kind: kind, detail: detail) {
            event.actor = legacy.token
            event.result = legacy.result
            event.target = event.target ?? event.certificateID
        }
        event.sequence = row.integer("sequence").map(Int64.init)
        return event
    }
}
