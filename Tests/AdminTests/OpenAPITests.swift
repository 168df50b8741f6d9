@testable import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite("The OpenAPI document, built from the route list")
struct OpenAPITests {
    /// The served document, fetched over HTTP with a token that has no particular scope.
    static func servedDocument() async throws -> [String: Any] {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            return try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get, headers: headers(token: tokens.acme))
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                return try #require(try json(response) as? [String: Any])
            }
        }
    }

    /// The operation object of `route` in `document`.
    static func operation(_ route: AdminRoute, in document: [String: Any]) throws -> [String: Any] {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return try #require(paths[route.path]?[route.method.rawValue.lowercased()] as? [String: Any], "\(route)")
    }

    /// Every `$ref` in `value`, e.g. `#/components/schemas/Message`.
    static func references(in value: Any) -> [String] {
        switch value {
        case let object as [String: Any]:
            let own = (object["$ref"] as? String).map { [$0] } ?? []
            return own + object.values.flatMap(references(in:))
        case let array as [Any]:
            return array.flatMap(references(in:))
        default:
            return []
        }
    }

    @Test("is OpenAPI 3.1 and describes exactly the routes the server registers, each once")
    func describesEveryRoute() async throws {
        let document = try await Self.servedDocument()
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var described: [String] = []
        for (path, operations) in paths {
            for method in operations.keys { described.append("\(method.uppercased()) \(path)") }
        }
        #expect(described.count == AdminRoute.all.count)
        #expect(Set(described) == Set(AdminRoute.all.map { "\($0.method.rawValue) \($0.path)" }))

        let identifiers = try AdminRoute.all.map { try #require(Self.operation($0, in: document)["operationId"] as? String) }
        #expect(Set(identifiers).count == identifiers.count, "operationIds repeat: \(identifiers.sorted())")
        for identifier in identifiers { #expect(identifier.wholeMatch(of: /[a-z][A-Za-z0-9]*/) != nil, "\(identifier)") }
    }

    @Test("every $ref resolves to a component, and every component is referenced")
    func referencesAndComponentsMatch() async throws {
        let document = try await Self.servedDocument()
        let components = try #require(document["components"] as? [String: [String: Any]])
        let references = Set(Self.references(in: document))
        #expect(references.count > 20)
        for reference in references {
            let parts = reference.split(separator: "/").map(String.init)
            #expect(parts.count == 4 && parts[0] == "#" && parts[1] == "components", "\(reference)")
            guard parts.count == 4 else { continue }
            #expect(components[parts[2]]?[parts[3]] != nil, "\(reference) does not resolve")
        }
        for (section, entries) in components where section != "securitySchemes" {
            for name in entries.keys {
                #expect(references.contains("#/components/\(section)/\(name)"), "\(section)/\(name) is never referenced")
            }
        }
        // Every security requirement names a scheme that exists.
        let schemes = try #require(components["securitySchemes"])
        for route in AdminRoute.all {
            let security = try #require(try Self.operation(route, in: document)["security"] as? [[String: [String]]])
            for requirement in security { for scheme in requirement.keys { #expect(schemes[scheme] != nil, "\(route): \(scheme)") } }
        }
    }

    @Test("security, x-required-scope and the 401/403 answers follow from each route's access")
    func securityFollowsAccess() async throws {
        let document = try await Self.servedDocument()
        var seen: Set<String> = []
        for route in AdminRoute.all {
            let operation = try Self.operation(route, in: document)
            let security = try #require(operation["security"] as? [[String: [String]]], "\(route)")
            let responses = try #require(operation["responses"] as? [String: Any], "\(route)")
            let unauthorized = (responses["401"] as? [String: String])?["$ref"]
            let forbidden = (responses["403"] as? [String: String])?["$ref"]
            switch route.access {
            case .open:
                seen.insert("open")
                #expect(security.isEmpty, "\(route)")
                #expect(unauthorized == nil && forbidden == nil, "\(route)")
                #expect(operation["x-required-scope"] == nil, "\(route)")
            case .anyToken:
                seen.insert("anyToken")
                #expect(security == [["bearer": []]], "\(route)")
                #expect(unauthorized == "#/components/responses/Unauthorized", "\(route)")
                #expect(forbidden == nil, "\(route)")
                #expect(operation["x-required-scope"] == nil, "\(route)")
            case .scope(let scope):
                seen.insert(scope.rawValue)
                #expect(security == [["bearer": [scope.rawValue]]], "\(route)")
                #expect(operation["x-required-scope"] as? String == scope.rawValue, "\(route)")
                #expect(unauthorized == "#/components/responses/Unauthorized", "\(route)")
                #expect(forbidden == "#/components/responses/Forbidden", "\(route)")
            }
            // One success answer, whatever the access.
            #expect(responses.keys.filter { $0.hasPrefix("2") }.count == 1, "\(route): \(responses.keys.sorted())")
        }
        #expect(seen == ["open", "anyToken", "ingress.read", "ingress.manage", "acme.manage", "admin"])
    }

    @Test("a component given by two concerns, or a part that is not JSON, stops the build")
    func refusesConflictingParts() throws {
        let message = #"{"schemas": {"Message": {"type": "object"}}}"#
        #expect(throws: OpenAPIDocumentError.duplicateComponent("schemas/Message")) {
            try OpenAPIDocument.components(["one": message, "two": message])
        }
        #expect(throws: OpenAPIDocumentError.unreadablePart("broken")) {
            try OpenAPIDocument.components(["one": message, "broken": #"{"schemas": ["#])
        }
        #expect(throws: OpenAPIDocumentError.unreadablePart("flat")) {
            try OpenAPIDocument.components(["flat": #"{"schemas": 1}"#])
        }
        let merged = try OpenAPIDocument.components(["one": message, "two": #"{"schemas": {"Other": {"type": "string"}}}"#])
        #expect(merged["schemas"]?.keys.sorted() == ["Message", "Other"])
    }

    @Test("a route listed twice stops the build")
    func refusesDuplicateRoutes() throws {
        let route = try #require(AdminRoute.all.first)
        #expect(throws: OpenAPIDocumentError.duplicateOperation(route.description)) {
            try OpenAPIDocument.build(routes: [route, route])
        }
        #expect(throws: Never.self) { try OpenAPIDocument.build() }
    }

    @Test("components text keeps integers, booleans, nulls and strings apart")
    func componentsTextDecodes() throws {
        let value = try #require(JSONValue(parsing: #"{"a": 1, "b": true, "c": null, "d": "1", "e": [0, false]}"#))
        #expect(value == .object(["a": .int(1), "b": .bool(true), "c": .null, "d": .string("1"), "e": .array([.int(0), .bool(false)])]))
        #expect(JSONValue(parsing: #"{"a": 1.5}"#) == nil)
        #expect(JSONValue(parsing: "{") == nil)
    }
}
