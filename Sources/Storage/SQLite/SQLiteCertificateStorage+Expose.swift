import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage: ExposeStore {
    /// See ``ExposeStore/storedRoutes()``.
    public func storedRoutes() async throws -> [StoredRoute] {
        try await run("list API routes") {
            try await query("SELECT data FROM api_routes ORDER BY host").map { try Self.decode(StoredRoute.self, $0) }
        }
    }

    /// See ``ExposeStore/storedRoute(host:)``.
    public func storedRoute(host: String) async throws -> StoredRoute? {
        try await run("read API route \(host)") {
            try await query("SELECT data FROM api_routes WHERE host = ?1", [.text(host)]).first.map { try Self.decode(StoredRoute.self, $0) }
        }
    }

    /// See ``ExposeStore/saveRoute(_:)``.
    public func saveRoute(_ route: StoredRoute) async throws {
        let data = try Self.encode(route)
        try await run("store API route \(route.host)") {
            try await query(
                """
                INSERT INTO api_routes (host, data, updated_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (host) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
                """,
                [.text(route.host), .text(data), SQLiteValues.time(now)]
            )
        }
    }

    /// See ``ExposeStore/deleteRoute(host:)``.
    public func deleteRoute(host: String) async throws {
        try await run("remove API route \(host)") {
            try await query("DELETE FROM api_routes WHERE host = ?1", [.text(host)])
        }
    }

    /// See ``ExposeStore/saveOperation(_:)``.
    public func saveOperation(_ operation: OperationRecord) async throws {
        let data = try Self.encode(operation)
        try await run("store operation \(operation.id)") {
            try await query(
                """
                INSERT INTO expose_operations (id, data, created_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (id) DO UPDATE SET data = excluded.data
                """,
                [.text(operation.id), .text(data), SQLiteValues.time(operation.createdAt)]
            )
        }
    }

    /// See ``ExposeStore/operation(id:)``.
    public func operation(id: String) async throws -> OperationRecord? {
        try await run("read operation \(id)") {
            try await query("SELECT data FROM expose_operations WHERE id = ?1", [.text(id)]).first.map { try Self.decode(OperationRecord.self, $0) }
        }
    }

    /// See ``ExposeStore/saveChange(_:)``.
    public func saveChange(_ change: ChangeRecord) async throws {
        let data = try Self.encode(change)
        try await run("store change \(change.id)") {
            try await query(
                """
                INSERT INTO expose_changes (id, status, data, created_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data
                """,
                [.text(change.id), .text(change.status.rawValue), .text(data), SQLiteValues.time(change.createdAt)]
            )
        }
    }

    /// See ``ExposeStore/change(id:)``.
    public func change(id: String) async throws -> ChangeRecord? {
        try await run("read change \(id)") {
            try await query("SELECT data FROM expose_changes WHERE id = ?1", [.text(id)]).first.map { try Self.decode(ChangeRecord.self, $0) }
        }
    }

    /// See ``ExposeStore/changes(status:)``.
    public func changes(status: ChangeRecord.Status?) async throws -> [ChangeRecord] {
        try await run("list changes") {
            let rows = if let status {
                try await query("SELECT data FROM expose_changes WHERE status = ?1 ORDER BY created_at DESC, rowid DESC", [.text(status.rawValue)])
            } else {
                try await query("SELECT data FROM expose_changes ORDER BY created_at DESC, rowid DESC")
            }
            return try rows.map { try Self.decode(ChangeRecord.self, $0) }
        }
    }

    private static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ row: SQLiteRow) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(type, from: Data((row.text("data") ?? "").utf8))
    }
}
