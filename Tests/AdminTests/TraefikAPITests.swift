import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Traefik's read-only API shapes")
struct TraefikAPITests {
    /// GETs `path` with an ingress.read token and returns the response.
    static func get(_ path: String, _ body: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: path, method: .get, headers: headers(token: tokens.read))
                try body(response)
            }
        }
    }

    @Test("/api/http/routers: sorted, enabled and disabled, the disabled one with its error")
    func routers() async throws {
        try await Self.get("/api/http/routers") { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[.init("X-Next-Page")!] == "1")
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["broken@file", "web@file"])
            let broken = list[0]
            #expect(broken["status"] as? String == "disabled")
            #expect(broken["error"] as? [String] == ["rule \"Hots(`b.test`)\": unknown matcher Hots"])
            #expect(broken["using"] == nil)
            #expect(broken["provider"] as? String == "file")
            let web = list[1]
            #expect(web["status"] as? String == "enabled")
            #expect(web["error"] == nil)
            #expect(web["rule"] as? String == "Host(`a.test`)")
            #expect(web["service"] as? String == "app")
            #expect(web["entryPoints"] as? [String] == ["web"])
            #expect(web["middlewares"] as? [String] == ["strip"])
            #expect(web["using"] as? [String] == ["web"])
        }
    }

    @Test("/api/http/routers/{name}: one router, by name with its provider, %40 or @")
    func router() async throws {
        for path in ["/api/http/routers/broken@file", "/api/http/routers/broken%40file"] {
            try await Self.get(path) { response in
                #expect(response.status == .ok, "\(path)")
                let object = try #require(try json(response) as? [String: Any])
                #expect(object["name"] as? String == "broken@file")
                #expect(object["status"] as? String == "disabled")
            }
        }
        try await Self.get("/api/http/routers/nope@file") { response in
            #expect(response.status == .notFound)
            let object = try #require(try json(response) as? [String: Any])
            #expect(object["message"] as? String == "router not found: nope@file")
        }
    }

    @Test("/api/http/services: servers, type, usedBy from every router naming it")
    func services() async throws {
        try await Self.get("/api/http/services") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.count == 1)
            let app = list[0]
            #expect(app["name"] as? String == "app@file")
            #expect(app["type"] as? String == "loadbalancer")
            #expect(app["status"] as? String == "enabled")
            #expect(app["usedBy"] as? [String] == ["broken@file", "web@file"])
            let balancer = try #require(app["loadBalancer"] as? [String: Any])
            let servers = try #require(balancer["servers"] as? [[String: Any]])
            #expect(servers.map { $0["url"] as? String } == ["http://127.0.0.1:9001"])
            #expect(balancer["passHostHeader"] as? Bool == true)
        }
    }

    @Test("/api/http/middlewares and /api/tcp/*: types, usedBy, TCP service addresses")
    func middlewaresAndTCP() async throws {
        try await Self.get("/api/http/middlewares") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["strip@file"])
            #expect(list[0]["type"] as? String == "stripprefix")
            #expect(list[0]["usedBy"] as? [String] == ["web@file"])
        }
        try await Self.get("/api/tcp/routers") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["db@file"])
            #expect(list[0]["rule"] as? String == "HostSNI(`*`)")
        }
        try await Self.get("/api/tcp/services") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            let balancer = try #require(list.first?["loadBalancer"] as? [String: Any])
            #expect((balancer["servers"] as? [[String: Any]])?.first?["address"] as? String == "127.0.0.1:5432")
            #expect(list.first?["usedBy"] as? [String] == ["db@file"])
        }
    }

    @Test("/api/rawdata: every item by qualified name, with status")
    func rawData() async throws {
        try await Self.get("/api/rawdata") { response in
            let object = try #require(try json(response) as? [String: Any])
            let routers = try #require(object["routers"] as? [String: [String: Any]])
            #expect(Set(routers.keys) == ["web@file", "broken@file"])
            #expect(routers["broken@file"]?["status"] as? String == "disabled")
            #expect(routers["web@file"]?["name"] == nil, "rawdata has Traefik's RouterInfo, without name")
            #expect((object["services"] as? [String: Any])?.keys.sorted() == ["app@file"])
            #expect((object["middlewares"] as? [String: Any])?.keys.sorted() == ["strip@file"])
            #expect((object["tcpRouters"] as? [String: Any])?.keys.sorted() == ["db@file"])
            #expect((object["tcpServices"] as? [String: Any])?.keys.sorted() == ["db@file"])
            #expect(object["udpRouters"] == nil, "empty groups are left out")
        }
    }

    @Test("/api/overview: totals and errors per kind")
    func overview() async throws {
        try await Self.get("/api/overview") { response in
            let object = try #require(try json(response) as? [String: Any])
            let http = try #require(object["http"] as? [String: [String: Int]])
            #expect(http["routers"] == ["total": 2, "warnings": 0, "errors": 1])
            #expect(http["services"] == ["total": 1, "warnings": 0, "errors": 0])
            #expect(http["middlewares"] == ["total": 1, "warnings": 0, "errors": 0])
            let tcp = try #require(object["tcp"] as? [String: [String: Int]])
            #expect(tcp["routers"] == ["total": 1, "warnings": 0, "errors": 0])
            #expect(object["providers"] as? [String] == ["File"])
            #expect((object["features"] as? [String: Any])?["accessLog"] as? Bool == false)
        }
    }

    @Test("/api/entrypoints: name, address and timeouts")
    func entryPoints() async throws {
        try await Self.get("/api/entrypoints") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["web"])
            #expect(list[0]["address"] as? String == "127.0.0.1:8000")
            let transport = try #require(list[0]["transport"] as? [String: [String: String]])
            #expect(transport["lifeCycle"]?["graceTimeOut"] == "10s")
        }
        try await Self.get("/api/entrypoints/web") { response in
            #expect(response.status == .ok)
        }
        try await Self.get("/api/entrypoints/nope") { response in
            #expect(response.status == .notFound)
        }
    }

    @Test("pagination: per_page, page, X-Next-Page; a page past the end is 400")
    func pagination() async throws {
        try await Self.get("/api/http/routers?per_page=1") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["broken@file"])
            #expect(response.headers[.init("X-Next-Page")!] == "2")
        }
        try await Self.get("/api/http/routers?per_page=1&page=2") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["web@file"])
            #expect(response.headers[.init("X-Next-Page")!] == "1")
        }
        try await Self.get("/api/http/routers?per_page=1&page=3") { response in
            #expect(response.status == .badRequest)
        }
        try await Self.get("/api/http/routers?page=zero") { response in
            #expect(response.status == .badRequest)
        }
        // Found by schemathesis: a page number whose offset overflows Int is 400, not a crash.
        try await Self.get("/api/entrypoints?per_page=62447&page=576460752303423487") { response in
            #expect(response.status == .badRequest)
        }
        try await Self.get("/api/http/routers?per_page=\(Int.max)") { response in
            #expect(response.status == .ok)
            #expect(response.headers[.init("X-Next-Page")!] == "1")
        }
    }

    @Test("filters: status and search")
    func filters() async throws {
        try await Self.get("/api/http/routers?status=disabled") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["broken@file"])
        }
        try await Self.get("/api/http/routers?search=a.test") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["web@file"])
        }
    }
}
