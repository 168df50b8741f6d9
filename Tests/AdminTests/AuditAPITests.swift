import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite("GET /api/v1/audit")
struct AuditAPITests {
    /// Appends certificate events an hour apart, then one admin change through the API.
    func seed(_ storage: SQLiteCertificateStorage, base: Date) async throws {
        try await storage.appendAuditEvent(AuditEvent(time: base, kind: .orderCreated, resolver: "le", names: ["a.test"],
                                                      certificateID: "cert-a", detail: "order https://ca/order/1"))
        try await storage.appendAuditEvent(AuditEvent(time: base.addingTimeInterval(3_600), kind: .certificateIssued, resolver: "le",
                                                      names: ["a.test"], certificateID: "cert-a", detail: "serial 0a1b2c"))
        try await storage.appendAuditEvent(AuditEvent(time: base.addingTimeInterval(7_200), kind: .certificateFailed, resolver: "le",
                                                      names: ["c.test"], certificateID: "cert-c", detail: "dns: no such host"))
    }

    func events(_ client: some TestClientProtocol, _ token: String, _ query: String = "") async throws -> [[String: Any]] {
        let response = try await client.execute(uri: "/api/v1/audit" + query, method: .get, headers: headers(token: token))
        #expect(response.status == .ok, "\(query)")
        return try #require(try json(response) as? [[String: Any]])
    }

    @Test("lists events newest first, with the admin change's token, action, target and result; filters apply")
    func listAndFilters() async throws {
        try await withStore { storage, tokens, _ in
            try await insertFixtureCertificates(storage)
            let base = Date(timeIntervalSince1970: 1_790_000_000)
            try await seed(storage, base: base)
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let revoke = try await client.execute(uri: "/api/v1/certificates/cert-a/revoke", method: .post, headers: headers(token: tokens.admin))
                #expect(revoke.status == .ok)

                let all = try await events(client, tokens.admin)
                let newest = try #require(all.first)
                #expect(newest["kind"] as? String == "admin.certificate.revoke")
                #expect(newest["action"] as? String == "certificate.revoke")
                #expect(newest["target"] as? String == "cert-a")
                #expect(newest["token"] as? String == "root")
                #expect(newest["result"] as? String == "succeeded")
                #expect(all.count >= 4)
                let sequences = all.compactMap { $0["sequence"] as? Int }
                #expect(sequences == sequences.sorted(by: >))

                let got1 = try await events(client, tokens.admin, "?action=certificate.revoke")
                #expect(got1.count == 1)
                let got2 = try await events(client, tokens.admin, "?action=certificate.*")
                #expect(got2.map { $0["kind"] as? String }
                    == ["admin.certificate.revoke", "certificate.failed", "certificate.issued"])
                let got3 = try await events(client, tokens.admin, "?target=c.test")
                #expect(got3.map { $0["kind"] as? String } == ["certificate.failed"])
                let got4 = try await events(client, tokens.admin, "?target=cert-a&limit=2")
                #expect(got4.count == 2)
                let window = "?since=\(Int(base.timeIntervalSince1970) + 1)&until=2026-09-21T15:00:00Z"
                // base is 2026-09-21T14:13:20Z: only the event an hour later falls between.
                let between = try await events(client, tokens.admin, "?since=2026-09-21T14:13:21Z&until=\(Int(base.timeIntervalSince1970) + 3_600)")
                #expect(between.map { $0["kind"] as? String } == ["certificate.issued"])
                let got5 = try await events(client, tokens.admin, window)
                #expect(got5.isEmpty)

                for bad in ["?limit=0", "?limit=x", "?since=yesterday", "?until=2026-13-45"] {
                    let response = try await client.execute(uri: "/api/v1/audit" + bad, method: .get, headers: headers(token: tokens.admin))
                    #expect(response.status == .badRequest, "\(bad)")
                }
                let body = text(try await client.execute(uri: "/api/v1/audit", method: .get, headers: headers(token: tokens.admin)))
                #expect(!body.contains(fixtureKeyMarker))
            }
        }
    }
}
