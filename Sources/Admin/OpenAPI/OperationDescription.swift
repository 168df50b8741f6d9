import Storage

/// What the OpenAPI document says about one route, written next to the route in its concern's
/// list (``AdminRoute/all``). Security, `x-required-scope` and the 401/403 responses are not
/// here: ``OpenAPIDocument`` derives them from the route's access.
struct OperationDescription: Sendable {
    /// A parameter: a shared one (`#/components/parameters/NAME`) or one written in place.
    struct Parameter: Sendable {
        /// The parameter object, or the reference to it.
        let value: JSONValue

        /// The shared parameter `name` of the components.
        static func shared(_ name: String) -> Parameter {
            Parameter(value: ["$ref": .string("#/components/parameters/\(name)")])
        }

        /// An optional query parameter.
        static func query(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> Parameter {
            Parameter(value: ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema])
        }

        /// A path parameter (a string).
        static func path(_ name: String, _ description: String) -> Parameter {
            Parameter(value: ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": ["type": "string"]])
        }
    }

    /// A JSON request body: a schema of the components, required or not.
    struct RequestBody: Sendable {
        /// The schema's name in `#/components/schemas`.
        let schema: String
        /// Whether a request must carry it.
        let required: Bool

        /// A body every request carries.
        static func required(_ schema: String) -> RequestBody { RequestBody(schema: schema, required: true) }

        /// A body a request may leave out.
        static func optional(_ schema: String) -> RequestBody { RequestBody(schema: schema, required: false) }

        /// The request body object.
        var value: JSONValue {
            ["required": .bool(required), "content": ["application/json": ["schema": .schema(schema)]]]
        }
    }

    /// One response a route can give: its status code and the response object (or the
    /// reference to a shared one).
    struct Response: Sendable {
        /// The status code, e.g. 200.
        let status: Int
        /// The response object, or the reference to it.
        let value: JSONValue

        /// The shared response `name` of the components.
        static func shared(_ status: Int, _ name: String) -> Response {
            Response(status: status, value: ["$ref": .string("#/components/responses/\(name)")])
        }

        /// A JSON body of `schema` (``JSONValue/schema(_:)``, ``JSONValue/list(of:)`` or a
        /// schema object), with headers and links when given.
        static func json(_ status: Int, _ description: String, _ schema: JSONValue, headers: JSONValue? = nil, links: JSONValue? = nil) -> Response {
            var fields: [String: JSONValue] = ["description": .string(description), "content": ["application/json": ["schema": schema]]]
            fields["headers"] = headers
            fields["links"] = links
            return Response(status: status, value: .object(fields))
        }

        /// A plain-text body of `schema`.
        static func text(_ status: Int, _ description: String, _ schema: JSONValue) -> Response {
            Response(status: status, value: ["description": .string(description), "content": ["text/plain": ["schema": schema]]])
        }

        /// 400 with the field at fault (`FieldMessage`), for routes that read a JSON body.
        static let fieldNotUsable = json(400, "A field is not usable; `field` names it.", .schema("FieldMessage"))

        /// No body (a HEAD answer).
        static func empty(_ status: Int, _ description: String) -> Response {
            Response(status: status, value: ["description": .string(description)])
        }
    }

    /// The operationId, unique in the document.
    let id: String
    /// A short title.
    let summary: String
    /// What the route does, for the reader; `nil` leaves it out.
    let description: String?
    /// The parameters, in order.
    let parameters: [Parameter]
    /// The request body, if the route reads one.
    let requestBody: RequestBody?
    /// The answer when all goes well.
    let success: Response
    /// The other answers it can give, beyond the 401/403 that follow from the route's access.
    let errors: [Response]

    /// - Parameters: see the properties.
    init(_ id: String, summary: String, description: String? = nil, parameters: [Parameter] = [], body: RequestBody? = nil,
         success: Response, errors: [Response] = []) {
        self.id = id
        self.summary = summary
        self.description = description
        self.parameters = parameters
        self.requestBody = body
        self.success = success
        self.errors = errors
    }
}

extension JSONValue {
    /// `{"$ref": "#/components/schemas/NAME"}`.
    static func schema(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    /// An array schema whose items are the schema `name` of the components.
    static func list(of name: String) -> JSONValue {
        ["type": "array", "items": .schema(name)]
    }
}
