import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Browser protection: foreign origins and CORS preflights are refused")
struct OriginTests {
    @Test("a request from another origin is refused even with a good token", arguments: [
        "http://evil.example", "http://127.0.0.1:9999", "https://127.0.0.1:8081", "null",
    ])
    func foreignOrigin(origin: String) async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                for path in ["/api/rawdata", "/ping", "/no/such/route"] {
                    let response = try await client.execute(uri: path, method: .get,
                                                            headers: headers(token: tokens.admin, ["Origin": origin]))
                    #expect(response.status == .forbidden, "\(path) from \(origin)")
                    #expect(response.headers[.accessControlAllowOrigin] == nil)
                }
            }
        }
    }

    @Test("the listener's own origin passes", arguments: ["http://127.0.0.1:8081", "http://localhost:8081"])
    func ownOrigin(origin: String) async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/rawdata", method: .get,
                                                        headers: headers(token: tokens.read, ["Origin": origin]))
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a CORS preflight gets no permission")
    func preflight() async throws {
        try await withStore { storage, _, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let foreign = try await client.execute(uri: "/api/rawdata", method: .options, headers: [
                    .origin: "http://evil.example", .accessControlRequestMethod: "GET",
                    .accessControlRequestHeaders: "authorization",
                ])
                #expect(foreign.status == .forbidden)
                let own = try await client.execute(uri: "/api/rawdata", method: .options, headers: [
                    .origin: "http://127.0.0.1:8081", .accessControlRequestMethod: "GET",
                ])
                #expect(own.status == .methodNotAllowed)
                for response in [foreign, own] {
                    #expect(response.headers[.accessControlAllowOrigin] == nil)
                    #expect(response.headers[.accessControlAllowMethods] == nil)
                    #expect(response.headers[.accessControlAllowHeaders] == nil)
                }
            }
        }
    }
}
