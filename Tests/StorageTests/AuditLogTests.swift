import Foundation
import Testing
@testable import Storage

@Suite struct AuditLogTests {
    @Test func appendsAndListsWithFilters() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                let events = [
                    AuditEvent(time: date(100), kind: .orderCreated, resolver: "le", names: ["example.com", "www.example.com"], certificateID: "c1", detail: "order https://ca/order/1", nodeID: "node-a"),
                    AuditEvent(time: date(200), kind: .challengePresented, resolver: "le", names: ["example.com"], certificateID: "c1", detail: "http-01 token published"),
                    AuditEvent(time: date(300), kind: .certificateIssued, resolver: "le", names: ["other.example"], certificateID: "c2", detail: "serial 01ab"),
                    AuditEvent(time: date(400), kind: AuditEventKind(rawValue: "custom.kind"), detail: "no resolver, no names"),
                ]
                var sequences: [Int64] = []
                for event in events {
                    let stored = try await storage.appendAuditEvent(event)
                    sequences.append(try #require(stored.sequence))
                    var expected = event
                    expected.sequence = stored.sequence
                    #expect(stored == expected)
                }
                #expect(sequences == sequences.sorted() && Set(sequences).count == 4)

                let all = try await storage.auditEvents(AuditQuery())
                #expect(all.map(\.detail) == events.map(\.detail))
                #expect(all[0].names == ["example.com", "www.example.com"])
                #expect(all[0].nodeID == "node-a")
                #expect(all[3].resolver == nil)
                #expect(all[3].kind.rawValue == "custom.kind")

                #expect(try await storage.auditEvents(AuditQuery(since: date(200))).map(\.time) == [date(200), date(300), date(400)])
                #expect(try await storage.auditEvents(AuditQuery(certificateID: "c1")).map(\.kind) == [.orderCreated, .challengePresented])
                #expect(try await storage.auditEvents(AuditQuery(limit: 2)).map(\.time) == [date(100), date(200)])
                #expect(try await storage.auditEvents(AuditQuery(limit: 2, order: .newestFirst)).map(\.time) == [date(400), date(300)])
                #expect(try await storage.auditEvents(AuditQuery(since: date(150), certificateID: "c1", limit: 5)).map(\.time) == [date(200)])
            }
        }
    }

    /// The API has no update or delete; the table refuses both even to SQL run through the
    /// storage's own connection.
    @Test func theLogIsAppendOnlyInTheDatabaseToo() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                try await storage.appendAuditEvent(AuditEvent(time: date(1), kind: .certificateIssued, detail: "original"))
                for statement in ["UPDATE audit_log SET detail = 'rewritten'", "DELETE FROM audit_log"] {
                    let error = await #expect(throws: StorageError.self) {
                        try await storage.run("tamper") { try await storage.query(statement) }
                    }
                    #expect(error?.code == .database)
                    #expect(error?.description.contains("append-only") == true)
                }
                #expect(try await storage.auditEvents(AuditQuery()).map(\.detail) == ["original"])
            }
        }
    }

    @Test func privateKeyMaterialIsRefused() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                let error = await #expect(throws: StorageError.self) {
                    try await storage.appendAuditEvent(AuditEvent(
                        kind: .certificateIssued,
                        detail: "oops -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"
                    ))
                }
                #expect(error?.code == .secretInAuditDetail)
                #expect(error?.description.contains("MHcCAQEE") == false)
                #expect(try await storage.auditEvents(AuditQuery()).isEmpty)
            }
        }
    }
}
