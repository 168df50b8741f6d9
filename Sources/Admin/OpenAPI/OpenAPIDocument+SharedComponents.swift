extension OpenAPIDocument {
    /// The security scheme, and the schemas and responses every concern uses.
    static let sharedComponents = #"""
{
  "securitySchemes": {
    "bearer": {
      "type": "http",
      "scheme": "bearer",
      "description": "A token made by `gatehouse token create --name NAME --scope S[,S]`."
    }
  },
  "responses": {
    "Unauthorized": {
      "description": "No token, or a token the gateway does not know.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
      "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}
    },
    "Forbidden": {
      "description": "The token lacks the route's scope, or the request came from another origin.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
      "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}
    },
    "NotFound": {
      "description": "No item has this name.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}
    },
    "BadRequest": {
      "description": "A query parameter is not usable.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}
    },
    "NotLoaded": {
      "description": "The gateway has not loaded its configuration yet.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}
    }
  },
  "schemas": {
    "Message": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
    "FieldMessage": {
      "type": "object",
      "required": ["message", "field"],
      "properties": {"message": {"type": "string"}, "field": {"type": "string"}}
    }
  }
}
"""#
}
