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

    @Test("token and result filter; before and after are JSON objects; a bad filter value is 400 naming the parameter")
    func tokenResultAndStates() async throws {
        try await withStore { storage, tokens, _ in
            let base = Date(timeIntervalSince1970: 1_790_000_000)
            try await seed(storage, base: base)
            let before = AuditState(["backends": .strings(["http://10.0.0.5:80"])]).json
            let after = AuditState(["backends": .strings(["http://10.0.0.6:81"]), "tls_passthrough": .bool(false)]).json
            try await storage.appendAuditEvent(AuditEvent(time: base.addingTimeInterval(10_000), kind: AuditEventKind(rawValue: "admin.expose"),
                                                          names: ["b.test"], detail: "expose b.test", actor: "deploy", target: "b.test",
                                                          result: "succeeded", before: before, after: after))
            try await storage.appendAuditEvent(AuditEvent(time: base.addingTimeInterval(10_001), kind: AuditEventKind(rawValue: "admin.expose"),
                                                          names: ["c.test"], detail: "expose c.test: the CA is down", actor: "ops",
                                                          target: "c.test", result: "failed"))
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let deploy = try await events(client, tokens.admin, "?token=deploy")
                #expect(deploy.count == 1)
                let entry = try #require(deploy.first)
                #expect(entry["action"] as? String == "expose" && entry["target"] as? String == "b.test")
                #expect(entry["result"] as? String == "succeeded" && entry["token"] as? String == "deploy")
                #expect((entry["before"] as? [String: Any])?["backends"] as? [String] == ["http://10.0.0.5:80"])
                let afterObject = try #require(entry["after"] as? [String: Any])
                #expect(afterObject["backends"] as? [String] == ["http://10.0.0.6:81"])
                #expect(afterObject["tls_passthrough"] as? Bool == false)

                let failed = try await events(client, tokens.admin, "?result=failed")
                #expect(failed.map { $0["target"] as? String } == ["c.test"])
                #expect(failed.first?["before"] is NSNull && failed.first?["after"] is NSNull)
                // certificate.failed from the seed has no result: only events that record one match.
                #expect(try await events(client, tokens.admin, "?token=ops&result=succeeded").isEmpty)
                #expect(try await events(client, tokens.admin, "?token=nobody").isEmpty)
                // Gateway events have no token.
                let gateway = try await events(client, tokens.admin, "?action=certificate.issued")
                #expect(gateway.first?["token"] is NSNull)

                for (query, parameter) in [("?token=a%20b", "token"), ("?result=maybe", "result"), ("?limit=0", "limit"), ("?since=x", "since")] {
                    let response = try await client.execute(uri: "/api/v1/audit" + query, method: .get, headers: headers(token: tokens.admin))
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(text(response).contains("\(parameter): "), "\(query): \(text(response))")
                }
            }
        }
    }
}
