/// The admin API's OpenAPI 3.1 document, served at `GET /api/v1/openapi.json`.
///
/// Written by hand next to ``AdminRoute/all``: a test checks that every route the server
/// registers is described here with its method, and nothing else is.
enum OpenAPIDocument {
    /// The document as JSON text.
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Gatehouse admin API",
    "version": "1",
    "description": "The admin API of Gatehouse, an ingress gateway. Every route except /ping needs `Authorization: Bearer <token>` (tokens come from `gatehouse token create`); a route that needs a scope answers 403 to a token without it. Scopes: ingress.read, ingress.manage (implies ingress.read), acme.manage, admin (implies all). Requests carrying an Origin other than the listener's own are refused; no CORS preflight is answered. The /api/* routes other than /api/v1/* answer in the shapes of Traefik's read-only API."
  },
  "paths": {
    "/ping": {
      "get": {
        "operationId": "ping",
        "summary": "Health check",
        "description": "Answers `OK` while the gateway runs; needs no token.",
        "security": [],
        "responses": {
          "200": {
            "description": "The gateway runs.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string",
                  "const": "OK"
                }
              }
            }
          }
        }
      },
      "head": {
        "operationId": "pingHead",
        "summary": "Health check without a body",
        "description": "As GET /ping, headers only.",
        "security": [],
        "responses": {
          "200": {
            "description": "The gateway runs."
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "getMetrics",
        "summary": "Prometheus metrics",
        "description": "Every metric in the Prometheus text format 0.0.4, with Traefik's names under a `gatehouse_` prefix: requests by entry point, router and service (code, method, protocol) with duration histograms, open connections, servers' health, TLS handshakes, served certificates' expiry, configuration reloads, ACME orders. Needs no token, like /ping: the admin listener is on loopback by default (`admin.address`), so keep it there or behind a firewall when the labels (router, service and host names) should stay private.",
        "security": [],
        "responses": {
          "200": {
            "description": "The metrics.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "operationId": "getOpenAPI",
        "summary": "This document",
        "description": "The OpenAPI 3.1 description of every route the admin API serves. Any valid token may read it.",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "The OpenAPI document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/rawdata": {
      "get": {
        "operationId": "getRawData",
        "summary": "Every item with its status (Traefik)",
        "description": "Traefik's RunTimeRepresentation: routers, services and middlewares of HTTP, TCP and UDP, by qualified name, each with status and errors.",
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RawData"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/overview": {
      "get": {
        "operationId": "getOverview",
        "summary": "Counts of items, features and providers (Traefik)",
        "description": "Totals, warnings and errors per kind of item.",
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Overview"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/entrypoints": {
      "get": {
        "operationId": "getEntryPoints",
        "summary": "Entry points (Traefik)",
        "description": "The static entry points, sorted by name, paged.",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntryPointList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/entrypoints/{name}": {
      "get": {
        "operationId": "getEntryPoint",
        "summary": "One entry point (Traefik)",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The item's name with its provider, e.g. `web@file` (entry points: the bare name).",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntryPoint"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/http/routers": {
      "get": {
        "operationId": "getHTTPRouters",
        "summary": "HTTP routers (Traefik)",
        "description": "Sorted by name; filter with status and search; paged. A disabled router carries its error.",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "enabled",
                "disabled",
                "warning"
              ]
            }
          },
          {
            "name": "search",
            "in": "query",
            "required": false,
            "description": "Keeps items whose name (or rule) contains this text.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RouterList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/http/routers/{name}": {
      "get": {
        "operationId": "getHTTPRouter",
        "summary": "One HTTP router (Traefik)",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The item's name with its provider, e.g. `web@file` (entry points: the bare name).",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Router"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/http/services": {
      "get": {
        "operationId": "getHTTPServices",
        "summary": "HTTP services (Traefik)",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "enabled",
                "disabled",
                "warning"
              ]
            }
          },
          {
            "name": "search",
            "in": "query",
            "required": false,
            "description": "Keeps items whose name (or rule) contains this text.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/http/services/{name}": {
      "get": {
        "operationId": "getHTTPService",
        "summary": "One HTTP service (Traefik)",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The item's name with its provider, e.g. `web@file` (entry points: the bare name).",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Service"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/http/middlewares": {
      "get": {
        "operationId": "getHTTPMiddlewares",
        "summary": "HTTP middlewares (Traefik)",
        "description": "Type and status; options are not shown (they may hold credentials).",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "enabled",
                "disabled",
                "warning"
              ]
            }
          },
          {
            "name": "search",
            "in": "query",
            "required": false,
            "description": "Keeps items whose name (or rule) contains this text.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MiddlewareList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/http/middlewares/{name}": {
      "get": {
        "operationId": "getHTTPMiddleware",
        "summary": "One HTTP middleware (Traefik)",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The item's name with its provider, e.g. `web@file` (entry points: the bare name).",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Middleware"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/tcp/routers": {
      "get": {
        "operationId": "getTCPRouters",
        "summary": "TCP routers (Traefik)",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "enabled",
                "disabled",
                "warning"
              ]
            }
          },
          {
            "name": "search",
            "in": "query",
            "required": false,
            "description": "Keeps items whose name (or rule) contains this text.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RouterList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/tcp/routers/{name}": {
      "get": {
        "operationId": "getTCPRouter",
        "summary": "One TCP router (Traefik)",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The item's name with its provider, e.g. `web@file` (entry points: the bare name).",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Router"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/tcp/services": {
      "get": {
        "operationId": "getTCPServices",
        "summary": "TCP services (Traefik)",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "enabled",
                "disabled",
                "warning"
              ]
            }
          },
          {
            "name": "search",
            "in": "query",
            "required": false,
            "description": "Keeps items whose name (or rule) contains this text.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/tcp/services/{name}": {
      "get": {
        "operationId": "getTCPService",
        "summary": "One TCP service (Traefik)",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The item's name with its provider, e.g. `web@file` (entry points: the bare name).",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Service"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/tcp/middlewares": {
      "get": {
        "operationId": "getTCPMiddlewares",
        "summary": "TCP middlewares (Traefik)",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "enabled",
                "disabled",
                "warning"
              ]
            }
          },
          {
            "name": "search",
            "in": "query",
            "required": false,
            "description": "Keeps items whose name (or rule) contains this text.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MiddlewareList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/udp/routers": {
      "get": {
        "operationId": "getUDPRouters",
        "summary": "UDP routers (Traefik)",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "enabled",
                "disabled",
                "warning"
              ]
            }
          },
          {
            "name": "search",
            "in": "query",
            "required": false,
            "description": "Keeps items whose name (or rule) contains this text.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RouterList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/udp/services": {
      "get": {
        "operationId": "getUDPServices",
        "summary": "UDP services (Traefik)",
        "parameters": [
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            }
          },
          {
            "name": "per_page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 100
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "enabled",
                "disabled",
                "warning"
              ]
            }
          },
          {
            "name": "search",
            "in": "query",
            "required": false,
            "description": "Keeps items whose name (or rule) contains this text.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "x-required-scope": "ingress.read",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceList"
                }
              }
            },
            "headers": {
              "X-Next-Page": {
                "description": "The next page, or 1 on the last page.",
                "schema": {
                  "type": "integer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    }
  },
  "components": {
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
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Message"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "schema": {
              "type": "string"
            }
          }
        }
      },
      "Forbidden": {
        "description": "The token lacks the route's scope, or the request came from another origin.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Message"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "schema": {
              "type": "string"
            }
          }
        }
      },
      "NotFound": {
        "description": "No item has this name.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Message"
            }
          }
        }
      },
      "BadRequest": {
        "description": "A query parameter is not usable.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Message"
            }
          }
        }
      },
      "NotLoaded": {
        "description": "The gateway has not loaded its configuration yet.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Message"
            }
          }
        }
      }
    },
    "schemas": {
      "Message": {
        "type": "object",
        "required": [
          "message"
        ],
        "properties": {
          "message": {
            "type": "string"
          }
        }
      },
      "Router": {
        "type": "object",
        "required": [
          "name",
          "provider",
          "status"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "provider": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "enabled",
              "disabled",
              "warning"
            ]
          },
          "error": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "entryPoints": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "middlewares": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "service": {
            "type": "string"
          },
          "rule": {
            "type": "string"
          },
          "ruleSyntax": {
            "type": "string"
          },
          "priority": {
            "type": "integer"
          },
          "tls": {
            "type": "object"
          },
          "using": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "RouterList": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/Router"
        }
      },
      "Service": {
        "type": "object",
        "required": [
          "name",
          "provider",
          "status"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "provider": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "enabled",
              "disabled",
              "warning"
            ]
          },
          "error": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "type": {
            "type": "string"
          },
          "usedBy": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "loadBalancer": {
            "type": "object"
          },
          "weighted": {
            "type": "object"
          },
          "mirroring": {
            "type": "object"
          },
          "failover": {
            "type": "object"
          }
        }
      },
      "ServiceList": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/Service"
        }
      },
      "Middleware": {
        "type": "object",
        "required": [
          "name",
          "provider",
          "status"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "provider": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "enabled",
              "disabled",
              "warning"
            ]
          },
          "error": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "type": {
            "type": "string"
          },
          "usedBy": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "MiddlewareList": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/Middleware"
        }
      },
      "EntryPoint": {
        "type": "object",
        "required": [
          "name",
          "address"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "address": {
            "type": "string"
          },
          "asDefault": {
            "type": "boolean"
          },
          "transport": {
            "type": "object"
          },
          "forwardedHeaders": {
            "type": "object"
          },
          "http": {
            "type": "object"
          }
        }
      },
      "EntryPointList": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/EntryPoint"
        }
      },
      "Counts": {
        "type": "object",
        "required": [
          "total",
          "warnings",
          "errors"
        ],
        "properties": {
          "total": {
            "type": "integer"
          },
          "warnings": {
            "type": "integer"
          },
          "errors": {
            "type": "integer"
          }
        }
      },
      "Overview": {
        "type": "object",
        "required": [
          "http",
          "tcp",
          "udp",
          "features",
          "providers"
        ],
        "properties": {
          "http": {
            "type": "object",
            "additionalProperties": {
              "$ref": "#/components/schemas/Counts"
            }
          },
          "tcp": {
            "type": "object",
            "additionalProperties": {
              "$ref": "#/components/schemas/Counts"
            }
          },
          "udp": {
            "type": "object",
            "additionalProperties": {
              "$ref": "#/components/schemas/Counts"
            }
          },
          "features": {
            "type": "object"
          },
          "providers": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "RawData": {
        "type": "object",
        "properties": {
          "routers": {
            "type": "object",
            "additionalProperties": {
              "type": "object"
            }
          },
          "middlewares": {
            "type": "object",
            "additionalProperties": {
              "type": "object"
            }
          },
          "services": {
            "type": "object",
            "additionalProperties": {
              "type": "object"
            }
          },
          "tcpRouters": {
            "type": "object",
            "additionalProperties": {
              "type": "object"
            }
          },
          "tcpMiddlewares": {
            "type": "object",
            "additionalProperties": {
              "type": "object"
            }
          },
          "tcpServices": {
            "type": "object",
            "additionalProperties": {
              "type": "object"
            }
          },
          "udpRouters": {
            "type": "object",
            "additionalProperties": {
              "type": "object"
            }
          },
          "udpServices": {
            "type": "object",
            "additionalProperties": {
              "type": "object"
            }
          }
        }
      }
    }
  }
}
"""#
}
