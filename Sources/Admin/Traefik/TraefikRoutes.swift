extension AdminRoute {
    /// Traefik's read-only API, in its shapes; every route needs ingress.read.
    static let traefikRoutes: [AdminRoute] = [
        AdminRoute(.get, "/api/rawdata", .scope(.ingressRead), .rawData, OperationDescription(
            "getRawData", summary: "Every item with its status (Traefik)",
            description: "Traefik's RunTimeRepresentation: routers, services and middlewares of HTTP, TCP and UDP, by qualified name, each with status and errors.",
            success: .json(200, "OK", .schema("RawData")),
            errors: [.shared(503, "NotLoaded")]
        )),
        AdminRoute(.get, "/api/overview", .scope(.ingressRead), .overview, OperationDescription(
            "getOverview", summary: "Counts of items, features and providers (Traefik)",
            description: "Totals, warnings and errors per kind of item.",
            success: .json(200, "OK", .schema("Overview")),
            errors: [.shared(503, "NotLoaded")]
        )),
        AdminRoute(.get, "/api/entrypoints", .scope(.ingressRead), .entryPoints, OperationDescription(
            "getEntryPoints", summary: "Entry points (Traefik)",
            description: "The static entry points, sorted by name, paged.",
            parameters: [.shared("PageQuery"), .shared("PerPageQuery")],
            success: page(of: "EntryPointList"),
            errors: [.shared(400, "BadRequest"), .shared(503, "NotLoaded")]
        )),
        traefikItem("/api/entrypoints/{name}", .entryPoint, "getEntryPoint", "One entry point", schema: "EntryPoint"),
        traefikList("/api/http/routers", .httpRouters, "getHTTPRouters", "HTTP routers", list: "RouterList",
                    description: "Sorted by name; filter with status and search; paged. A disabled router carries its error."),
        traefikItem("/api/http/routers/{name}", .httpRouter, "getHTTPRouter", "One HTTP router", schema: "Router"),
        traefikList("/api/http/services", .httpServices, "getHTTPServices", "HTTP services", list: "ServiceList"),
        traefikItem("/api/http/services/{name}", .httpService, "getHTTPService", "One HTTP service", schema: "Service"),
        traefikList("/api/http/middlewares", .httpMiddlewares, "getHTTPMiddlewares", "HTTP middlewares", list: "MiddlewareList",
                    description: "Type and status; options are not shown (they may hold credentials)."),
        traefikItem("/api/http/middlewares/{name}", .httpMiddleware, "getHTTPMiddleware", "One HTTP middleware", schema: "Middleware"),
        traefikList("/api/tcp/routers", .tcpRouters, "getTCPRouters", "TCP routers", list: "RouterList"),
        traefikItem("/api/tcp/routers/{name}", .tcpRouter, "getTCPRouter", "One TCP router", schema: "Router"),
        traefikList("/api/tcp/services", .tcpServices, "getTCPServices", "TCP services", list: "ServiceList"),
        traefikItem("/api/tcp/services/{name}", .tcpService, "getTCPService", "One TCP service", schema: "Service"),
        traefikList("/api/tcp/middlewares", .tcpMiddlewares, "getTCPMiddlewares", "TCP middlewares", list: "MiddlewareList"),
        traefikList("/api/udp/routers", .udpRouters, "getUDPRouters", "UDP routers", list: "RouterList"),
        traefikList("/api/udp/services", .udpServices, "getUDPServices", "UDP services", list: "ServiceList"),
    ]

    /// A list of Traefik's, sorted by name, filtered by `status` and `search`, paged; answered
    /// with a page of the schema `list`.
    private static func traefikList(_ path: String, _ endpoint: Endpoint, _ id: String, _ summary: String, list: String,
                                    description: String? = nil) -> AdminRoute {
        AdminRoute(.get, path, .scope(.ingressRead), endpoint, OperationDescription(
            id, summary: "\(summary) (Traefik)", description: description,
            parameters: [.shared("PageQuery"), .shared("PerPageQuery"), .shared("StatusQuery"), .shared("SearchQuery")],
            success: page(of: list),
            errors: [.shared(400, "BadRequest"), .shared(503, "NotLoaded")]
        ))
    }

    /// A page of a list: the items, and the next page in `X-Next-Page`.
    private static func page(of list: String) -> OperationDescription.Response {
        .json(200, "OK", .schema(list), headers: ["X-Next-Page": ["description": "The next page, or 1 on the last page.", "schema": ["type": "integer"]]])
    }

    /// One item of Traefik's by its qualified name, answered with the schema `schema`.
    private static func traefikItem(_ path: String, _ endpoint: Endpoint, _ id: String, _ summary: String, schema: String) -> AdminRoute {
        AdminRoute(.get, path, .scope(.ingressRead), endpoint, OperationDescription(
            id, summary: "\(summary) (Traefik)",
            parameters: [.shared("NamePath")],
            success: .json(200, "OK", .schema(schema)),
            errors: [.shared(404, "NotFound"), .shared(503, "NotLoaded")]
        ))
    }
}

extension OpenAPIDocument {
    /// Traefik's shapes, and the paging, filter and name parameters of its routes.
    static let traefikComponents = #"""
{
  "parameters": {
    "PageQuery": {
      "in": "query",
      "name": "page",
      "required": false,
      "schema": {"default": 1, "minimum": 1, "type": "integer"}
    },
    "PerPageQuery": {
      "in": "query",
      "name": "per_page",
      "required": false,
      "schema": {"default": 100, "minimum": 1, "type": "integer"}
    },
    "StatusQuery": {
      "in": "query",
      "name": "status",
      "required": false,
      "schema": {"enum": ["enabled", "disabled", "warning"], "type": "string"}
    },
    "SearchQuery": {
      "description": "Keeps items whose name (or rule) contains this text.",
      "in": "query",
      "name": "search",
      "required": false,
      "schema": {"type": "string"}
    },
    "NamePath": {
      "description": "The item's name with its provider, e.g. `web@file` or `expose-app.example.com@api` (entry points: the bare name).",
      "in": "path",
      "name": "name",
      "required": true,
      "schema": {"type": "string"}
    }
  },
  "schemas": {
    "TraefikItem": {
      "type": "object",
      "description": "What every item of Traefik's API carries: its qualified name, provider and status (a disabled item carries its errors).",
      "required": ["name", "provider", "status"],
      "properties": {
        "name": {"type": "string"},
        "provider": {"type": "string"},
        "status": {"type": "string", "enum": ["enabled", "disabled", "warning"]},
        "error": {"type": "array", "items": {"type": "string"}}
      }
    },
    "Router": {
      "allOf": [
        {"$ref": "#/components/schemas/TraefikItem"},
        {
          "type": "object",
          "properties": {
            "entryPoints": {"type": "array", "items": {"type": "string"}},
            "middlewares": {"type": "array", "items": {"type": "string"}},
            "service": {"type": "string"},
            "rule": {"type": "string"},
            "ruleSyntax": {"type": "string"},
            "priority": {"type": "integer"},
            "tls": {"type": "object"},
            "using": {"type": "array", "items": {"type": "string"}}
          }
        }
      ]
    },
    "RouterList": {"type": "array", "items": {"$ref": "#/components/schemas/Router"}},
    "Service": {
      "allOf": [
        {"$ref": "#/components/schemas/TraefikItem"},
        {
          "type": "object",
          "properties": {
            "type": {"type": "string"},
            "usedBy": {"type": "array", "items": {"type": "string"}},
            "loadBalancer": {"type": "object"},
            "weighted": {"type": "object"},
            "mirroring": {"type": "object"},
            "failover": {"type": "object"}
          }
        }
      ]
    },
    "ServiceList": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}},
    "Middleware": {
      "allOf": [
        {"$ref": "#/components/schemas/TraefikItem"},
        {
          "type": "object",
          "properties": {"type": {"type": "string"}, "usedBy": {"type": "array", "items": {"type": "string"}}}
        }
      ]
    },
    "MiddlewareList": {"type": "array", "items": {"$ref": "#/components/schemas/Middleware"}},
    "EntryPoint": {
      "type": "object",
      "required": ["name", "address"],
      "properties": {
        "name": {"type": "string"},
        "address": {"type": "string"},
        "asDefault": {"type": "boolean"},
        "transport": {"type": "object"},
        "forwardedHeaders": {"type": "object"},
        "http": {"type": "object"}
      }
    },
    "EntryPointList": {"type": "array", "items": {"$ref": "#/components/schemas/EntryPoint"}},
    "Counts": {
      "type": "object",
      "required": ["total", "warnings", "errors"],
      "properties": {
        "total": {"type": "integer"},
        "warnings": {"type": "integer"},
        "errors": {"type": "integer"}
      }
    },
    "Overview": {
      "type": "object",
      "required": ["http", "tcp", "udp", "features", "providers"],
      "properties": {
        "http": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Counts"}},
        "tcp": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Counts"}},
        "udp": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Counts"}},
        "features": {"type": "object"},
        "providers": {"type": "array", "items": {"type": "string"}}
      }
    },
    "RawData": {
      "type": "object",
      "properties": {
        "routers": {"type": "object", "additionalProperties": {"type": "object"}},
        "middlewares": {"type": "object", "additionalProperties": {"type": "object"}},
        "services": {"type": "object", "additionalProperties": {"type": "object"}},
        "tcpRouters": {"type": "object", "additionalProperties": {"type": "object"}},
        "tcpMiddlewares": {"type": "object", "additionalProperties": {"type": "object"}},
        "tcpServices": {"type": "object", "additionalProperties": {"type": "object"}},
        "udpRouters": {"type": "object", "additionalProperties": {"type": "object"}},
        "udpServices": {"type": "object", "additionalProperties": {"type": "object"}}
      }
    }
  }
}
"""#
}
