import Admin
import Config
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Items made through the admin API (recorded as the `api` provider's in the configuration's
/// origins) are named `name@api` with `"provider": "api"` in Traefik's views and the routes
/// monitor; file items stay `@file`.
@Suite("Items of the api provider in the admin API's views")
struct APIProviderViewTests {
    static let name = "expose-app-example-com"

    /// The fixture state plus an exposed route: router and service of the API, a file router
    /// `viaAPI` that uses the API's service by its qualified name, and a disabled API router.
    static func state() throws -> RuntimeState {
        var state = try fixtureState()
        state.configuration.http.routers[name] = HTTPRouter(rule: "Host(`app.example.com`)", service: name, entryPoints: ["web"])
        state.configuration.http.services[name] = .loadBalancer(HTTPService.LoadBalancer(urls: ["http://127.0.0.1:9100"]))
        state.configuration.origins[.httpRouter, name] = .api
        state.configuration.origins[.httpService, name] = .api
        state.configuration.http.routers["viaAPI"] = HTTPRouter(rule: "Host(`via.test`)", service: "\(name)@api", entryPoints: ["web"])
        state.configuration.http.routers["expose-down-example-com"] = HTTPRouter(
            rule: "Host(`down.example.com`)", service: "expose-down-example-com", entryPoints: ["web"])
        state.configuration.origins[.httpRouter, "expose-down-example-com"] = .api
        state.problems.append(ItemProblem(kind: .httpRouter, name: "expose-down-example-com@api",
                                          message: "service \"expose-down-example-com\" is missing or disabled"))
        state.serverHealth = ["\(name)@api": ["http://127.0.0.1:9100": true]]
        state.providers = ["File", "API"]
        return state
    }

    static func get(_ path: String, _ body: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try state()).makeApplication()
            try await app.test(.router) { client in
                try body(try await client.execute(uri: path, method: .get, headers: headers(token: tokens.read)))
            }
        }
    }

    @Test("/api/http/routers: the API's routers are name@api with provider api, the file's name@file")
    func routers() async throws {
        try await Self.get("/api/http/routers") { response in
            #expect(response.status == .ok)
            let list = try #require(try json(response) as? [[String: Any]])
            let byName = Dictionary(list.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byName.keys.sorted() == ["broken@file", "expose-app-example-com@api", "expose-down-example-com@api", "viaAPI@file", "web@file"])
            #expect(byName["expose-app-example-com@api"]?["provider"] as? String == "api")
            #expect(byName["expose-app-example-com@api"]?["status"] as? String == "enabled")
            #expect(byName["web@file"]?["provider"] as? String == "file")
            #expect(byName["expose-down-example-com@api"]?["status"] as? String == "disabled")
            #expect(byName["expose-down-example-com@api"]?["error"] as? [String] == ["service \"expose-down-example-com\" is missing or disabled"])
        }
        try await Self.get("/api/http/routers?search=expose-app") { response in
            let list = try #require(try json(response) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["expose-app-example-com@api"])
        }
        for path in ["/api/http/routers/expose-app-example-com@api", "/api/http/routers/expose-app-example-com%40api"] {
            try await Self.get(path) { response in
                #expect(response.status == .ok, "\(path)")
                let object = try #require(try json(response) as? [String: Any])
                #expect(object["provider"] as? String == "api")
            }
        }
        try await Self.get("/api/http/routers/expose-app-example-com@file") { response in
            #expect(response.status == .notFound)
        }
    }

    @Test("/api/http/services: the API's service is @api, used by its own router and by a file router naming it @api")
    func services() async throws {
        try await Self.get("/api/http/services/expose-app-example-com@api") { response in
            #expect(response.status == .ok)
            let object = try #require(try json(response) as? [String: Any])
            #expect(object["provider"] as? String == "api")
            #expect(object["usedBy"] as? [String] == ["expose-app-example-com@api", "viaAPI@file"])
        }
        try await Self.get("/api/rawdata") { response in
            let object = try #require(try json(response) as? [String: Any])
            let routers = try #require(object["routers"] as? [String: Any])
            let services = try #require(object["services"] as? [String: Any])
            #expect(routers["expose-app-example-com@api"] != nil && routers["expose-app-example-com@file"] == nil)
            #expect(services["expose-app-example-com@api"] != nil && services["app@file"] != nil)
        }
        try await Self.get("/api/overview") { response in
            let object = try #require(try json(response) as? [String: Any])
            #expect(object["providers"] as? [String] == ["File", "API"])
        }
    }

    @Test("/api/v1/routes: rows name the router @api with provider api, its service @api and its backend's health")
    func monitor() async throws {
        try await Self.get("/api/v1/routes") { response in
            #expect(response.status == .ok)
            let rows = try #require(try json(response) as? [[String: Any]])
            let byName = Dictionary(rows.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            let row = try #require(byName["expose-app-example-com@api"], "\(byName.keys.sorted())")
            #expect(row["provider"] as? String == "api")
            #expect(row["service"] as? String == "expose-app-example-com@api")
            let backends = try #require(row["backends"] as? [[String: Any]])
            #expect(backends.first?["service"] as? String == "expose-app-example-com@api")
            #expect(backends.first?["health"] as? String == "up")
            #expect(byName["web@file"]?["provider"] as? String == "file")
            #expect(byName["viaAPI@file"]?["service"] as? String == "expose-app-example-com@api")
            #expect(byName["viaAPI@file"]?["backends"] as? [[String: Any]] != nil)
            #expect((byName["viaAPI@file"]?["backends"] as? [[String: Any]])?.first?["health"] as? String == "up")
            #expect(byName["expose-down-example-com@api"]?["status"] as? String == "disabled")
        }
    }
}
