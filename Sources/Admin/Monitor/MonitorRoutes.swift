extension AdminRoute {
    /// `GET /api/v1/routes`: every router with its hosts, backends and certificate.
    static let monitorRoutes: [AdminRoute] = [
        AdminRoute(.get, "/api/v1/routes", .scope(.ingressRead), .routes, OperationDescription(
            "getRoutes", summary: "The routes monitor",
            description: "One row per HTTP and TCP router of the snapshot being served, disabled ones included: hosts from the rule, entry points, service and backends with health, middlewares, TLS mode, the certificate's status, issuer, not-after and days until expiry, and the router's error when disabled.",
            parameters: [
                .query("host", "Only routers whose hosts match this name (wildcards one label deep)."),
                .query("status", "Only routers with this status (enabled, disabled) or whose certificate has this status (pending, issuing, valid, renewing, failed, revoked, expired)."),
            ],
            success: .json(200, "The rows, HTTP routers first, each kind by name.", .list(of: "RouteRow")),
            errors: [.shared(503, "NotLoaded")]
        )),
    ]
}

extension OpenAPIDocument {
    /// The schemas of `GET /api/v1/routes`.
    static let monitorComponents = #"""
{
  "schemas": {
    "RouteRow": {
      "type": "object",
      "required": ["name", "provider", "type", "hosts", "entryPoints", "backends", "middlewares", "tls", "status"],
      "properties": {
        "name": {
          "description": "The router's name with its provider: `web@file`, or `expose-<host>@api` for a route made through this API.",
          "type": "string"
        },
        "provider": {"description": "The provider the router comes from: `file`, or `api` for a route made through this API.", "type": "string"},
        "type": {"type": "string", "enum": ["http", "tcp"]},
        "rule": {"type": ["string", "null"]},
        "hosts": {"type": "array", "items": {"type": "string"}},
        "hostPatterns": {"type": "array", "items": {"type": "string"}},
        "entryPoints": {"type": "array", "items": {"type": "string"}},
        "service": {"type": ["string", "null"]},
        "backends": {"type": "array", "items": {"$ref": "#/components/schemas/Backend"}},
        "middlewares": {"type": "array", "items": {"type": "string"}},
        "tls": {"type": "string", "enum": ["none", "terminate", "passthrough"]},
        "certResolver": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": ["enabled", "disabled"]},
        "error": {"type": ["string", "null"]},
        "certificateID": {"type": ["string", "null"]},
        "certificateStatus": {
          "type": ["string", "null"],
          "enum": ["pending", "issuing", "valid", "renewing", "failed", "revoked", "expired", null]
        },
        "issuer": {"type": ["string", "null"]},
        "notAfter": {"type": ["string", "null"]},
        "daysUntilExpiry": {"type": ["integer", "null"]}
      }
    },
    "Backend": {
      "type": "object",
      "required": ["url", "service", "health"],
      "properties": {
        "url": {"type": "string"},
        "service": {"type": "string"},
        "health": {"type": "string", "enum": ["up", "down", "unknown"]}
      }
    }
  }
}
"""#
}
