import Foundation
import Storage

/// The admin API's OpenAPI 3.1 document, served at `GET /api/v1/openapi.json`, built from
/// ``AdminRoute/all``: each route's ``OperationDescription`` gives its operation, and its access
/// gives `security`, `x-required-scope` and the 401/403 responses. The components (schemas,
/// shared parameters and responses) are JSON text kept by each concern next to its routes.
enum OpenAPIDocument {
    /// The document as served (built once).
    static let served: String = {
        do {
            return text(of: try build())
        } catch {
            assertionFailure("\(error)")
            return String(decoding: JSONValue.object(["message": .string("\(error)")]).encoded(), as: UTF8.self)
        }
    }()

    /// Each concern's components, by concern: a JSON object of sections (`schemas`,
    /// `parameters`, `responses`, `securitySchemes`), each a JSON object of named entries.
    static let componentParts: KeyValuePairs<String, String> = [
        "shared": sharedComponents,
        "Traefik": traefikComponents,
        "routes": monitorComponents,
        "certificates": certificateComponents,
        "audit": auditComponents,
        "expose": exposeComponents,
        "DNS credentials": dnsCredentialComponents,
    ]

    /// The document's `info`.
    static let info: JSONValue = [
        "title": "Gatehouse admin API",
        "version": "1",
        "description": """
            The admin API of Gatehouse, an ingress gateway. Every route except /ping and /metrics needs \
            `Authorization: Bearer <token>` (tokens come from `gatehouse token create`); a route that needs a scope \
            answers 403 to a token without it. Scopes: ingress.read, ingress.manage (implies ingress.read), \
            acme.manage, admin (implies all). Requests carrying an Origin other than the listener's own are \
            refused; no CORS preflight is answered. The /api/* routes other than /api/v1/* answer in the shapes \
            of Traefik's read-only API.
            """,
    ]

    /// The document for `routes` with the components of `parts`.
    /// - Throws: ``OpenAPIDocumentError`` when a part is not JSON, a component or operation is
    ///   given twice, or a route gives a status twice.
    static func build(routes: [AdminRoute] = AdminRoute.all,
                      parts: KeyValuePairs<String, String> = componentParts) throws(OpenAPIDocumentError) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for route in routes {
            let method = route.method.rawValue.lowercased()
            guard paths[route.path]?[method] == nil else { throw .duplicateOperation(route.description) }
            paths[route.path, default: [:]][method] = try operation(for: route)
        }
        return [
            "openapi": "3.1.0",
            "info": info,
            "paths": .object(paths.mapValues(JSONValue.object)),
            "components": .object(try components(parts).mapValues(JSONValue.object)),
        ]
    }

    /// The operation object of `route`: its description, with security, `x-required-scope`
    /// and the 401/403 responses that follow from its access.
    static func operation(for route: AdminRoute) throws(OpenAPIDocumentError) -> JSONValue {
        let described = route.operation
        var responses: [String: JSONValue] = [:]
        var fields: [String: JSONValue] = [
            "operationId": .string(described.id),
            "summary": .string(described.summary),
        ]
        fields["description"] = described.description.map(JSONValue.string)
        if !described.parameters.isEmpty { fields["parameters"] = .array(described.parameters.map(\.value)) }
        fields["requestBody"] = described.requestBody?.value
        var answers = [described.success] + described.errors
        switch route.access {
        case .open:
            fields["security"] = []
        case .anyToken:
            fields["security"] = [["bearer": []]]
            answers.append(.shared(401, "Unauthorized"))
        case .scope(let scope):
            fields["security"] = [["bearer": [.string(scope.rawValue)]]]
            fields["x-required-scope"] = .string(scope.rawValue)
            answers += [.shared(401, "Unauthorized"), .shared(403, "Forbidden")]
        }
        for answer in answers {
            guard responses[String(answer.status)] == nil else { throw .duplicateStatus(route.description, answer.status) }
            responses[String(answer.status)] = answer.value
        }
        fields["responses"] = .object(responses)
        return .object(fields)
    }

    /// The sections of every part, merged; an entry may be given by one part only.
    static func components(_ parts: KeyValuePairs<String, String>) throws(OpenAPIDocumentError) -> [String: [String: JSONValue]] {
        var merged: [String: [String: JSONValue]] = [:]
        for (concern, text) in parts {
            guard case .object(let sections)? = JSONValue(parsing: text) else { throw .unreadablePart(concern) }
            for (section, entries) in sections {
                guard case .object(let entries) = entries else { throw .unreadablePart(concern) }
                for (name, entry) in entries {
                    guard merged[section]?[name] == nil else { throw .duplicateComponent("\(section)/\(name)") }
                    merged[section, default: [:]][name] = entry
                }
            }
        }
        return merged
    }

    /// `document` as pretty-printed JSON text with sorted keys.
    static func text(of document: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return String(decoding: (try? encoder.encode(document)) ?? Data("null".utf8), as: UTF8.self)
    }
}
