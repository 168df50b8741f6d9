import Foundation
import SQLiteNIO
import Testing
@testable import Storage

@Suite struct AuditFieldsTests {
    @Test func actorTargetResultBeforeAndAfterRoundTrip() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                let before = AuditState(["backends": .strings(["http://10.0.0.5:80"]), "tls_passthrough": .bool(false)])
                let after = AuditState(["backends": .strings(["http://10.0.0.6:81"]), "plan": .array([.object(["action": .string("update")])]),
                                        "resolver": .null, "failures": .int(2)])
                let event = AuditEvent(time: date(10), kind: AuditEventKind(rawValue: "admin.expose"), names: ["app.test"],
                                       detail: "expose app.test: operation 1", actor: "deployer", target: "app.test",
                                       result: "succeeded", before: before.json, after: after.json)
                let stored = try await storage.appendAuditEvent(event)
                let read = try #require(try await storage.auditEvents(AuditQuery()).first)
                #expect(read == stored)
                #expect(read.actor == "deployer" && read.target == "app.test" && read.result == "succeeded")
                #expect(read.before.flatMap(AuditState.init(json:)) == before)
                #expect(read.after.flatMap(AuditState.init(json:)) == after)
                #expect(read.certificateID == nil)

                // Events without the new fields read back with them absent.
                try await storage.appendAuditEvent(AuditEvent(time: date(20), kind: .orderCreated, detail: "order"))
                let plain = try #require(try await storage.auditEvents(AuditQuery(order: .newestFirst)).first)
                #expect(plain.actor == nil && plain.target == nil && plain.result == nil && plain.before == nil && plain.after == nil)
            }
        }
    }

    @Test(arguments: ["before", "after"])
    func privateKeyMaterialInAStateIsRefused(field: String) async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                let leaking = AuditState(["key": .string("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----")]).json
                let error = await #expect(throws: StorageError.self) {
                    try await storage.appendAuditEvent(AuditEvent(kind: .certificateIssued, detail: "issued",
                                                                  before: field == "before" ? leaking : nil,
                                                                  after: field == "after" ? leaking : nil))
                }
                #expect(error?.code == .secretInAuditDetail)
                #expect(error?.description.contains("\(field) state") == true, "\(error.map { "\($0)" } ?? "")")
                #expect(error?.description.contains("MIGHAgEAMBMG") == false)
                #expect(try await storage.auditEvents(AuditQuery()).isEmpty)
            }
        }
    }

    @Test(arguments: ["[1, 2]", "not json", "\"text\""])
    func aStateThatIsNoJSONObjectIsRefused(text: String) async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                let error = await #expect(throws: StorageError.self) {
                    try await storage.appendAuditEvent(AuditEvent(kind: .certificateIssued, detail: "issued", after: text))
                }
                #expect(error?.code == .invalidAuditState)
                #expect(error?.description.contains("after state is not a JSON object") == true)
                #expect(try await storage.auditEvents(AuditQuery()).isEmpty)
            }
        }
    }

    @Test func aCertificateStateHoldsStatusExpirySerialAndIssuerButNoKey() throws {
        var record = CertificateRecord(id: "c1", resolver: "le", names: ["a.test"], status: .valid)
        record.notAfter = Date(timeIntervalSince1970: 1_800_000_000)
        record.serialNumber = "0a1b"
        record.issuer = "CN=Test CA"
        record.privateKey = SecretBytes(utf8: "-----BEGIN EC PRIVATE KEY-----\nsecret\n-----END EC PRIVATE KEY-----")
        let state = AuditState.certificate(record)
        #expect(state.fields == ["status": .string("valid"), "notAfter": .string("2027-01-15T08:00:00Z"), "serial": .string("0a1b"),
                                 "issuer": .string("CN=Test CA")])
        #expect(!state.json.contains("PRIVATE"))
    }

    /// A database written by the schema of migration 5 (admin changes with `token=… result=…`
    /// in their detail) opens with migration 6 applied; its old rows read with token, target and
    /// result, and new rows carry their own.
    @Test func aDatabaseOfMigration5IsMigratedAndItsAdminRowsKeepTokenAndResult() async throws {
        try await withDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let path = directory + "/" + SQLiteCertificateStorage.databaseFileName
            let connection = try await SQLiteConnection.open(storage: .file(path: path))
            do {
                _ = try await connection.query("CREATE TABLE schema_version (version INTEGER NOT NULL)", [])
                for statement in SQLiteSchema.migrations.prefix(5).joined() {
                    _ = try await connection.query(statement, [])
                }
                _ = try await connection.query("INSERT INTO schema_version (version) VALUES (5)", [])
                let insert = "INSERT INTO audit_log (time, kind, resolver, names, certificate_id, detail, node_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                _ = try await connection.query(insert, [
                    .integer(1_000), .text("admin.certificate.revoke"), .text("le"), .text(#"["a.test"]"#), .text("cert-a"),
                    .text("token=deploy result=succeeded: certificate.revoke cert-a: reason 4"), .text("node-a"),
                ])
                _ = try await connection.query(insert, [
                    .integer(2_000), .text("certificate.issued"), .text("le"), .text(#"["a.test"]"#), .text("cert-a"),
                    .text("serial 0a"), .null,
                ])
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }

            try await withStorage(in: directory) { storage async throws in
                #expect(try await storage.schemaVersion() == SQLiteSchema.currentVersion)
                #expect(SQLiteSchema.currentVersion == 6)
                let old = try await storage.auditEvents(AuditQuery())
                #expect(old.count == 2)
                #expect(old[0].actor == "deploy" && old[0].result == "succeeded" && old[0].target == "cert-a")
                #expect(old[0].before == nil && old[0].after == nil)
                #expect(old[0].detail.hasPrefix("token=deploy"))
                #expect(old[1].actor == nil && old[1].result == nil && old[1].target == nil)

                try await storage.appendAuditEvent(AuditEvent(time: date(3), kind: AuditEventKind(rawValue: "admin.expose"),
                                                              detail: "expose b.test", actor: "ops", target: "b.test", result: "failed"))
                let newest = try #require(try await storage.auditEvents(AuditQuery(order: .newestFirst)).first)
                #expect(newest.actor == "ops" && newest.result == "failed" && newest.target == "b.test")
                // The log stays append-only after the migration.
                let error = await #expect(throws: StorageError.self) {
                    try await storage.run("tamper") { try await storage.query("UPDATE audit_log SET actor = 'someone-else'") }
                }
                #expect(error?.description.contains("append-only") == true)
            }
        }
    }
}
