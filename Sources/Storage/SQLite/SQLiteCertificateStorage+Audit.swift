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
        if event.detail.contains("PRIVATE KEY-----") {
            throw StorageError.secretInAuditDetail(kind: event.kind)
        }
        let names = String(decoding: try JSONEncoder().encode(event.names), as: UTF8.self)
        let rows = try await query(
            """
            INSERT INTO audit_log (time, kind, resolver, names, certificate_id, detail, node_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING sequence
            """,
            [
                SQLiteValues.time(event.time), .text(event.kind.rawValue), SQLiteValues.text(event.resolver),
                .text(names), SQLiteValues.text(event.certificateID), .text(event.detail), SQLiteValues.text(event.nodeID),
            ]
        )
        var stored = event
        stored.sequence = rows.first?.integer("sequence").map(Int64.init)
        return stored
    }

    private func auditEvent(_ row: SQLiteRow) throws -> AuditEvent {
        let namesJSON = row.text("names") ?? "[]"
        let names = (try? JSONDecoder().decode([String].self, from: Data(namesJSON.utf8))) ?? []
        var event = AuditEvent(
            time: row.time("time") ?? Date(timeIntervalSince1970: 0),
            kind: AuditEventKind(rawValue: row.text("kind") ?? ""),
            resolver: row.text("resolver"),
            names: names,
            certificateID: row.text("certificate_id"),
            detail: row.text("detail") ?? "",
            nodeID: row.text("node_id")
        )
        event.sequence = row.integer("sequence").map(Int64.init)
        return event
    }
}
