import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite("The auth matrix: every route × no token, unknown token, wrong scope, right scope")
struct AuthMatrixTests {
    /// A concrete path for a route: `{name}` replaced by an item that exists in the fixture,
    /// `{id}` by a certificate or the DNS credential `credentialID`.
    static func concretePath(_ route: AdminRoute, credentialID: String) -> String {
        let names = [
            "/api/entrypoints/{name}": "web",
            "/api/http/routers/{name}": "web@file",
            "/api/http/services/{name}": "app@file",
            "/api/http/middlewares/{name}": "strip@file",
            "/api/tcp/routers/{name}": "db@file",
            "/api/tcp/services/{name}": "db@file",
        ]
        if route.path.hasPrefix("/api/v1/dns-credentials/") {
            return route.path.replacingOccurrences(of: "{id}", with: credentialID)
        }
        if route.path.hasSuffix("/reject") { return route.path.replacingOccurrences(of: "{id}", with: "cert-b") }
        if route.path.contains("{id}") { return route.path.replacingOccurrences(of: "{id}", with: "cert-a") }
        if route.path.contains("{host}") { return route.path.replacingOccurrences(of: "{host}", with: "gone.test") }
        guard let name = names[route.path] else { return route.path }
        return route.path.replacingOccurrences(of: "{name}", with: name)
    }

    /// A body that makes a route's request valid (`nil` when it needs none).
    /// Each call gives a new credential name, so every token's create can succeed.
    static func body(_ route: AdminRoute) -> ByteBuffer? {
        switch (route.method, route.path) {
        case (.post, "/api/v1/expose"):
            ByteBuffer(string: #"{"hostname": "m.test", "protocol": "http", "backends": ["http://127.0.0.1:9"]}"#)
        case (.post, "/api/v1/certificates"):
            ByteBuffer(string: #"{"names": ["m.test"], "resolver": "le"}"#)
        case (.post, "/api/v1/dns-credentials"):
            ByteBuffer(string: #"{"name": "m-\#(UUID().uuidString)", "provider": "rfc2136", "entries": {"RFC2136_NAMESERVER": "127.0.0.1"}}"#)
        case (.post, "/api/v1/dns-credentials/{id}/test"):
            ByteBuffer(string: #"{"domain": "example.test"}"#)
        default:
            nil
        }
    }

    /// Stores a DNS credential for the matrix to read, test or delete; returns its id.
    static func storeCredential(_ storage: SQLiteCertificateStorage) async throws -> String {
        try await storage.createCredential(name: "matrix-\(UUID().uuidString)", provider: "rfc2136",
                                           entries: ["RFC2136_NAMESERVER": "127.0.0.1"], createdBy: "test").id
    }

    /// Routes whose first authorized call decides something, so that later ones answer 409.
    static let decidesOnce: Set<String> = ["/api/v1/changes/{id}/approve", "/api/v1/changes/{id}/reject"]

    /// The expose chain with approvals required (so expose and delete only make pending
    /// changes and can be repeated), an operation and a change with id `cert-a`, a change
    /// `cert-b` (rejected), and an API
    /// route for `gone.test`.
    static func exposeFixtures(_ storage: SQLiteCertificateStorage) async throws -> ExposeService {
        let (service, _, _) = makeExposeService(storage, settings: exposeSettings(requireApproval: true))
        let spec = ExposeSpec(host: "gone.test", scheme: "http", backends: ["http://127.0.0.1:9"], entryPoints: ["web"])
        try await storage.saveRoute(StoredRoute(spec: spec, state: .active))
        try await storage.saveOperation(OperationRecord(id: "cert-a", action: "expose", host: "gone.test", spec: spec,
                                                        requestedBy: "manager", stepNames: ["validate", "route", "certificate", "activate"]))
        try await storage.saveChange(ChangeRecord(id: "cert-a", action: "unexpose", host: "gone.test", spec: spec, plan: [],
                                                  requestedBy: "manager"))
        try await storage.saveChange(ChangeRecord(id: "cert-b", action: "unexpose", host: "gone.test", spec: spec, plan: [],
                                                  requestedBy: "manager"))
        return service
    }

    @Test("each route answers 401 without or with an unknown token, 403 without its scope, 2xx with it")
    func matrix() async throws {
        try await withStore { storage, tokens, _ in
            try await insertFixtureCertificates(storage)
            let expose = try await Self.exposeFixtures(storage)
            let app = makeServer(storage, state: try fixtureState(), expose: expose).makeApplication()
            try await app.test(.router) { client in
                let credentialID = try await Self.storeCredential(storage)
                for route in AdminRoute.all {
                    // A DELETE by one token removes what the next would delete: each gets its own credential.
                    func execute(_ token: String?) async throws -> TestResponse {
                        let id = route.method == .delete ? try await Self.storeCredential(storage) : credentialID
                        return try await client.execute(uri: Self.concretePath(route, credentialID: id), method: route.method,
                                                        headers: headers(token: token), body: Self.body(route))
                    }
                    let none = try await execute(nil)
                    let unknown = try await execute("gh_" + String(repeating: "A", count: 43))
                    let wrong = try await execute(tokens.acme)
                    let right = try await execute(tokens.read)
                    let admin = try await execute(tokens.admin)
                    let manage = try await execute(tokens.manage)
                    switch route.access {
                    case .open:
                        #expect(none.status == .ok, "\(route) without a token")
                        #expect(unknown.status == .ok, "\(route) with an unknown token")
                    case .anyToken:
                        #expect(none.status == .unauthorized, "\(route) without a token")
                        #expect(unknown.status == .unauthorized, "\(route) with an unknown token")
                        #expect(wrong.status == .ok, "\(route) with an acme.manage token")
                        #expect(right.status == .ok, "\(route) with an ingress.read token")
                    case .scope(.ingressRead):
                        #expect(none.status == .unauthorized, "\(route) without a token")
                        #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"gatehouse\"", "\(route)")
                        #expect(unknown.status == .unauthorized, "\(route) with an unknown token")
                        #expect(unknown.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true, "\(route)")
                        #expect(wrong.status == .forbidden, "\(route) with an acme.manage token")
                        #expect(wrong.headers[.wwwAuthenticate]?.contains("error=\"insufficient_scope\", scope=\"ingress.read\"") == true,
                                "\(route)")
                        #expect(right.status == .ok, "\(route) with an ingress.read token")
                        #expect(manage.status == .ok, "\(route) with an ingress.manage token (implies ingress.read)")
                    case .scope(.ingressManage):
                        #expect(none.status == .unauthorized, "\(route) without a token")
                        #expect(unknown.status == .unauthorized, "\(route) with an unknown token")
                        #expect(wrong.status == .forbidden, "\(route) with an acme.manage token")
                        #expect(right.status == .forbidden, "\(route) with an ingress.read token")
                        #expect(right.headers[.wwwAuthenticate]?.contains("scope=\"ingress.manage\"") == true, "\(route)")
                        if Self.decidesOnce.contains(route.path) {
                            // The admin token (asked just before) decided it already.
                            #expect(manage.status == .conflict, "\(route) with an ingress.manage token, once decided: \(manage.status)")
                        } else {
                            #expect((200..<300).contains(manage.status.code), "\(route) with an ingress.manage token: \(manage.status)")
                        }
                    case .scope(let scope):
                        // acme.manage and admin routes: the reader and the manager are refused,
                        // the acme.manage token passes only acme.manage routes.
                        #expect(none.status == .unauthorized, "\(route) without a token")
                        #expect(unknown.status == .unauthorized, "\(route) with an unknown token")
                        #expect(right.status == .forbidden, "\(route) with an ingress.read token")
                        #expect(right.headers[.wwwAuthenticate]?.contains("scope=\"\(scope)\"") == true, "\(route)")
                        #expect(manage.status == .forbidden, "\(route) with an ingress.manage token")
                        if scope == .acmeManage {
                            #expect((200..<300).contains(wrong.status.code), "\(route) with an acme.manage token: \(wrong.status)")
                        } else {
                            #expect(scope == .admin)
                            #expect(wrong.status == .forbidden, "\(route) with an acme.manage token")
                        }
                    }
                    #expect((200..<300).contains(admin.status.code), "\(route) with an admin token: \(admin.status)")
                }
            }
        }
    }

    @Test("a token that is revoked stops working at once")
    func revoked() async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let before = try await client.execute(uri: "/api/overview", method: .get, headers: headers(token: tokens.read))
                #expect(before.status == .ok)
                try await storage.revokeToken(name: "reader")
                let after = try await client.execute(uri: "/api/overview", method: .get, headers: headers(token: tokens.read))
                #expect(after.status == .unauthorized)
            }
        }
    }

    @Test("other schemes and malformed headers are 401", arguments: ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "token abc"])
    func malformed(header: String) async throws {
        try await withStore { storage, _, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/rawdata", method: .get, headers: [.authorization: header])
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"gatehouse\"")
            }
        }
    }

    @Test("the Traefik routes answer 503 until the gateway has loaded its configuration")
    func notLoaded() async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: nil).makeApplication()
            try await app.test(.router) { client in
                let rawdata = try await client.execute(uri: "/api/rawdata", method: .get, headers: headers(token: tokens.read))
                #expect(rawdata.status == .serviceUnavailable)
                let ping = try await client.execute(uri: "/ping", method: .get)
                #expect(ping.status == .ok)
                #expect(text(ping) == "OK")
            }
        }
    }
}
