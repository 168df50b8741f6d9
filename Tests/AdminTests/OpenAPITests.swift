import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The OpenAPI document")
struct OpenAPITests {
    @Test("is served as JSON, OpenAPI 3.1, and describes exactly the routes the server registers")
    func describesEveryRoute() async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get, headers: headers(token: tokens.acme))
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let document = try #require(try json(response) as? [String: Any])
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                var described: Set<String> = []
                for (path, operations) in paths {
                    for method in operations.keys { described.insert("\(method.uppercased()) \(path)") }
                }
                let served = Set(AdminRoute.all.map { "\($0.method.rawValue) \($0.path)" })
                #expect(described == served)

                // Each operation's security matches the route's access.
                for route in AdminRoute.all {
                    let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()] as? [String: Any])
                    let security = try #require(operation["security"] as? [[String: [String]]], "\(route)")
                    switch route.access {
                    case .open: #expect(security.isEmpty, "\(route)")
                    case .anyToken: #expect(security == [["bearer": []]], "\(route)")
                    case .scope(let scope): #expect(security == [["bearer": [scope.rawValue]]], "\(route)")
                    }
                }
                // And every $ref resolves.
                let text = String(buffer: response.body)
                let components = try #require(document["components"] as? [String: [String: Any]])
                let references = text.matches(of: /"\$ref"\s*:\s*"#\/components\/(\w+)\/(\w+)"/)
                #expect(!references.isEmpty)
                for reference in references {
                    #expect(components[String(reference.output.1)]?[String(reference.output.2)] != nil, "\(reference.output.0)")
                }
            }
        }
    }
}
