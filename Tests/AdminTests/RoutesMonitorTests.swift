import Admin
import Config
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("GET /api/v1/routes: the routes monitor")
struct RoutesMonitorTests {
    /// HTTP routers with and without TLS, one disabled, a weighted service; TCP passthrough and
    /// terminate routers.
    static let dynamic = """
    http:
      routers:
        site:
          rule: "Host(`a.test`) && PathPrefix(`/`)"
          service: app
          entryPoints: [websecure]
          middlewares: [strip]
          tls:
            certResolver: le
        failing:
          rule: "Host(`c.test`)"
          service: app
          entryPoints: [websecure]
          tls:
            certResolver: le
        plain:
          rule: "Host(`b.test`) || HostRegexp(`^.+\\\\.b\\\\.test$`)"
          service: split
          entryPoints: [web]
        broken:
          rule: "Hots(`x.test`)"
          service: app
          entryPoints: [web]
      services:
        app:
          loadBalancer:
            servers:
              - url: "http://127.0.0.1:9001"
              - url: "http://127.0.0.1:9002"
        split:
          weighted:
            services:
              - name: app
                weight: 1
      middlewares:
        strip:
          stripPrefix:
            prefixes: ["/x"]
    tcp:
      routers:
        db:
          rule: "HostSNI(`db.test`)"
          service: db
          entryPoints: [websecure]
          tls:
            passthrough: true
        mail:
          rule: "HostSNI(`mail.test`)"
          service: db
          entryPoints: [websecure]
          tls: {}
      services:
        db:
          loadBalancer:
            servers:
              - address: "127.0.0.1:5432"
    """

    static func state() throws -> RuntimeState {
        RuntimeState(
            generation: 2,
            configuration: try ConfigLoader.loadDynamic(text: dynamic, file: "monitor.yml"),
            problems: [ItemProblem(kind: .httpRouter, name: "broken@file", message: "rule \"Hots(`x.test`)\": unknown matcher Hots")],
            entryPoints: ["web": EntryPoint(address: ":80"), "websecure": EntryPoint(address: ":443")],
            defaultEntryPoints: ["web", "websecure"],
            serverHealth: ["app@file": ["http://127.0.0.1:9001": true, "http://127.0.0.1:9002": false]]
        )
    }

    func rows(_ client: some TestClientProtocol, _ token: String, query: String = "") async throws -> [String: [String: Any]] {
        let response = try await client.execute(uri: "/api/v1/routes" + query, method: .get, headers: headers(token: token))
        #expect(response.status == .ok)
        let list = try #require(try json(response) as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "?", $0) })
    }

    func keys(_ client: some TestClientProtocol, _ token: String, _ query: String) async throws -> Set<String> {
        Set(try await rows(client, token, query: query).keys)
    }

    @Test("one row per router with hosts, backends with health, middlewares, TLS mode, certificate and error")
    func shapes() async throws {
        try await withStore { storage, tokens, _ in
            let now = Date()
            try await insertFixtureCertificates(storage, now: now)
            let app = makeServer(storage, state: try Self.state()).makeApplication()
            try await app.test(.router) { client in
                let rows = try await rows(client, tokens.read)
                #expect(Set(rows.keys) == ["site@file", "failing@file", "plain@file", "broken@file", "db@file", "mail@file"])

                let site = try #require(rows["site@file"])
                #expect(site["type"] as? String == "http")
                #expect(site["hosts"] as? [String] == ["a.test"])
                #expect(site["entryPoints"] as? [String] == ["websecure"])
                #expect(site["service"] as? String == "app@file")
                #expect(site["middlewares"] as? [String] == ["strip@file"])
                #expect(site["tls"] as? String == "terminate")
                #expect(site["status"] as? String == "enabled")
                #expect(site["error"] is NSNull)
                #expect(site["certificateID"] as? String == "cert-a")
                #expect(site["certificateStatus"] as? String == "valid")
                #expect(site["issuer"] as? String == "CN=Pebble Intermediate CA")
                #expect(site["daysUntilExpiry"] as? Int == 30)
                let notAfter = try #require(site["notAfter"] as? String)
                let parsed = try Date(notAfter, strategy: .iso8601)
                #expect(abs(parsed.timeIntervalSince(now.addingTimeInterval(30 * 86_400 + 3_600))) < 2)
                let backends = try #require(site["backends"] as? [[String: String]])
                #expect(backends.map { $0["url"] ?? "" } == ["http://127.0.0.1:9001", "http://127.0.0.1:9002"])
                #expect(backends.map { $0["health"] ?? "" } == ["up", "down"])

                let failing = try #require(rows["failing@file"])
                #expect(failing["certificateStatus"] as? String == "failed")
                #expect(failing["notAfter"] is NSNull)

                let plain = try #require(rows["plain@file"])
                #expect(plain["tls"] as? String == "none")
                #expect(plain["certificateStatus"] is NSNull)
                #expect(plain["hosts"] as? [String] == ["b.test"])
                #expect(plain["hostPatterns"] as? [String] == ["^.+\\.b\\.test$"])
                // The weighted service's backends are those of the service it points to.
                #expect((plain["backends"] as? [[String: String]])?.map { $0["service"] ?? "" } == ["app@file", "app@file"])

                let broken = try #require(rows["broken@file"])
                #expect(broken["status"] as? String == "disabled")
                #expect((broken["error"] as? String)?.contains("unknown matcher Hots") == true)

                #expect(rows["db@file"]?["tls"] as? String == "passthrough")
                #expect(rows["db@file"]?["certificateStatus"] is NSNull)
                #expect(rows["db@file"]?["hosts"] as? [String] == ["db.test"])
                #expect((rows["db@file"]?["backends"] as? [[String: String]])?.first?["url"] == "127.0.0.1:5432")
                #expect(rows["mail@file"]?["tls"] as? String == "terminate")
            }
        }
    }

    @Test("filters: host, router status, certificate status")
    func filters() async throws {
        try await withStore { storage, tokens, _ in
            try await insertFixtureCertificates(storage)
            let app = makeServer(storage, state: try Self.state()).makeApplication()
            try await app.test(.router) { client in
                let got1 = try await keys(client, tokens.read, "?host=A.test")
                #expect(got1 == ["site@file"])
                let got2 = try await keys(client, tokens.read, "?host=db.test")
                #expect(got2 == ["db@file"])
                let got3 = try await keys(client, tokens.read, "?host=nowhere.test")
                #expect(got3.isEmpty)
                let got4 = try await keys(client, tokens.read, "?status=disabled")
                #expect(got4 == ["broken@file"])
                let got5 = try await keys(client, tokens.read, "?status=valid")
                #expect(got5 == ["site@file"])
                let got6 = try await keys(client, tokens.read, "?status=failed")
                #expect(got6 == ["failing@file"])
            }
        }
    }

    @Test("a revoked certificate shows as revoked on its router; 503 before the first configuration")
    func revokedAndNotLoaded() async throws {
        try await withStore { storage, tokens, _ in
            var record = try await insertFixtureCertificates(storage)
            record.status = .revoked
            try await storage.updateCertificate(record)
            let app = makeServer(storage, state: try Self.state()).makeApplication()
            try await app.test(.router) { client in
                let site = try await rows(client, tokens.read)["site@file"]
                #expect(site?["certificateStatus"] as? String == "revoked")
            }
            let empty = makeServer(storage, state: nil).makeApplication()
            try await empty.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/routes", method: .get, headers: headers(token: tokens.read))
                #expect(response.status == .serviceUnavailable)
            }
        }
    }
}
