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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
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
            "$ref": "#/components/parameters/NamePath"
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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
          },
          {
            "$ref": "#/components/parameters/StatusQuery"
          },
          {
            "$ref": "#/components/parameters/SearchQuery"
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
            "$ref": "#/components/responses/Status200"
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
            "$ref": "#/components/parameters/NamePath"
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
            "$ref": "#/components/responses/Status2002"
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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
          },
          {
            "$ref": "#/components/parameters/StatusQuery"
          },
          {
            "$ref": "#/components/parameters/SearchQuery"
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
            "$ref": "#/components/responses/Status2003"
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
            "$ref": "#/components/parameters/NamePath"
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
            "$ref": "#/components/responses/Status2004"
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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
          },
          {
            "$ref": "#/components/parameters/StatusQuery"
          },
          {
            "$ref": "#/components/parameters/SearchQuery"
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
            "$ref": "#/components/responses/Status2005"
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
            "$ref": "#/components/parameters/NamePath"
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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
          },
          {
            "$ref": "#/components/parameters/StatusQuery"
          },
          {
            "$ref": "#/components/parameters/SearchQuery"
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
            "$ref": "#/components/responses/Status200"
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
            "$ref": "#/components/parameters/NamePath"
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
            "$ref": "#/components/responses/Status2002"
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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
          },
          {
            "$ref": "#/components/parameters/StatusQuery"
          },
          {
            "$ref": "#/components/parameters/SearchQuery"
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
            "$ref": "#/components/responses/Status2003"
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
            "$ref": "#/components/parameters/NamePath"
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
            "$ref": "#/components/responses/Status2004"
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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
          },
          {
            "$ref": "#/components/parameters/StatusQuery"
          },
          {
            "$ref": "#/components/parameters/SearchQuery"
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
            "$ref": "#/components/responses/Status2005"
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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
          },
          {
            "$ref": "#/components/parameters/StatusQuery"
          },
          {
            "$ref": "#/components/parameters/SearchQuery"
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
            "$ref": "#/components/responses/Status200"
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
            "$ref": "#/components/parameters/PageQuery"
          },
          {
            "$ref": "#/components/parameters/PerPageQuery"
          },
          {
            "$ref": "#/components/parameters/StatusQuery"
          },
          {
            "$ref": "#/components/parameters/SearchQuery"
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
            "$ref": "#/components/responses/Status2003"
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
    "/api/v1/routes": {
      "get": {
        "operationId": "getRoutes",
        "summary": "The routes monitor",
        "description": "One row per HTTP and TCP router of the snapshot being served, disabled ones included: hosts from the rule, entry points, service and backends with health, middlewares, TLS mode, the certificate's status, issuer, not-after and days until expiry, and the router's error when disabled.",
        "parameters": [
          {
            "name": "host",
            "in": "query",
            "required": false,
            "description": "Only routers whose hosts match this name (wildcards one label deep).",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "description": "Only routers with this status (enabled, disabled) or whose certificate has this status (pending, issuing, valid, renewing, failed, revoked, expired).",
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
            "description": "The rows, HTTP routers first, each kind by name.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/RouteRow"
                  }
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates": {
      "get": {
        "operationId": "getCertificates",
        "summary": "Managed certificates",
        "description": "Every certificate the gateway manages, by main name. Never any key.",
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
            "description": "The certificates.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/CertificateSummary"
                  }
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded2"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      },
      "post": {
        "operationId": "issueCertificate",
        "summary": "Issue",
        "description": "Asks a resolver for a certificate for one or several names; the order runs in the background (follow GET /api/v1/certificates/{id}) and the certificate is renewed until revoked. A resolver's existing certificate for the same names is reused. Audited.",
        "security": [
          {
            "bearer": [
              "acme.manage"
            ]
          }
        ],
        "x-required-scope": "acme.manage",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/IssueRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The order was started (or a certificate exists).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateOperation"
                }
              }
            }
          },
          "400": {
            "description": "A field is not usable; `field` names it.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FieldMessage"
                }
              }
            }
          },
          "502": {
            "description": "The storage refused the request.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Message"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded2"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates/{id}": {
      "get": {
        "operationId": "getCertificate",
        "summary": "One certificate with its chain",
        "description": "The certificate's details and its chain in PEM, leaf first. Never the private key.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdPath"
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
            "description": "The certificate.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateDetail"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded2"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates/{id}/renew": {
      "post": {
        "operationId": "renewCertificate",
        "summary": "Renew now",
        "description": "Asks for a renewal now; the order runs in the background and the current certificate serves until the new one is stored. Audited.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdPath"
          }
        ],
        "security": [
          {
            "bearer": [
              "acme.manage"
            ]
          }
        ],
        "x-required-scope": "acme.manage",
        "responses": {
          "202": {
            "description": "The renewal was requested.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateOperation"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "502": {
            "$ref": "#/components/responses/Status502"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded2"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates/{id}/revoke": {
      "post": {
        "operationId": "revokeCertificate",
        "summary": "Revoke",
        "description": "Revokes the certificate at its CA and takes it out of serving at once; while routers still ask for its names, the gateway orders a new one. Audited.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdPath"
          }
        ],
        "security": [
          {
            "bearer": [
              "acme.manage"
            ]
          }
        ],
        "x-required-scope": "acme.manage",
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RevocationRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The certificate is revoked.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateOperation"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "502": {
            "$ref": "#/components/responses/Status502"
          },
          "503": {
            "$ref": "#/components/responses/NotLoaded2"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/audit": {
      "get": {
        "operationId": "getAudit",
        "summary": "The audit log",
        "description": "Certificate events and changes made through this API (with the token's name and the result), newest first.",
        "parameters": [
          {
            "name": "since",
            "in": "query",
            "required": false,
            "description": "Only events at or after this time (RFC 3339 or Unix seconds).",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "until",
            "in": "query",
            "required": false,
            "description": "Only events at or before this time (RFC 3339 or Unix seconds).",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "action",
            "in": "query",
            "required": false,
            "description": "Only events of this kind or action (e.g. certificate.revoke); a trailing * matches a prefix.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "target",
            "in": "query",
            "required": false,
            "description": "Only events about this certificate id or name.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "At most this many events.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            }
          }
        ],
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ],
        "x-required-scope": "admin",
        "responses": {
          "200": {
            "description": "The events.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/AuditEvent"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "description": "No audit log, or it is unavailable.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Message"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
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
      },
      "Status200": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/RouterList"
            }
          }
        },
        "description": "OK",
        "headers": {
          "X-Next-Page": {
            "description": "The next page, or 1 on the last page.",
            "schema": {
              "type": "integer"
            }
          }
        }
      },
      "Status2002": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Router"
            }
          }
        },
        "description": "OK"
      },
      "Status2003": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ServiceList"
            }
          }
        },
        "description": "OK",
        "headers": {
          "X-Next-Page": {
            "description": "The next page, or 1 on the last page.",
            "schema": {
              "type": "integer"
            }
          }
        }
      },
      "Status2004": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Service"
            }
          }
        },
        "description": "OK"
      },
      "Status2005": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/MiddlewareList"
            }
          }
        },
        "description": "OK",
        "headers": {
          "X-Next-Page": {
            "description": "The next page, or 1 on the last page.",
            "schema": {
              "type": "integer"
            }
          }
        }
      },
      "NotLoaded2": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Message"
            }
          }
        },
        "description": "No certificate storage, or it is unavailable."
      },
      "Status502": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Message"
            }
          }
        },
        "description": "The change failed; the message carries the CA's or the storage's reason."
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
      },
      "RouteRow": {
        "type": "object",
        "required": [
          "name",
          "provider",
          "type",
          "hosts",
          "entryPoints",
          "backends",
          "middlewares",
          "tls",
          "status"
        ],
        "properties": {
          "name": {
            "description": "The router's name with its provider: `web@file`, or `expose-<host>@api` for a route made through this API.",
            "type": "string"
          },
          "provider": {
            "description": "The provider the router comes from: `file`, or `api` for a route made through this API.",
            "type": "string"
          },
          "type": {
            "type": "string",
            "enum": [
              "http",
              "tcp"
            ]
          },
          "rule": {
            "type": [
              "string",
              "null"
            ]
          },
          "hosts": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "hostPatterns": {
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
          "service": {
            "type": [
              "string",
              "null"
            ]
          },
          "backends": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Backend"
            }
          },
          "middlewares": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "tls": {
            "type": "string",
            "enum": [
              "none",
              "terminate",
              "passthrough"
            ]
          },
          "certResolver": {
            "type": [
              "string",
              "null"
            ]
          },
          "status": {
            "type": "string",
            "enum": [
              "enabled",
              "disabled"
            ]
          },
          "error": {
            "type": [
              "string",
              "null"
            ]
          },
          "certificateID": {
            "type": [
              "string",
              "null"
            ]
          },
          "certificateStatus": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "pending",
              "issuing",
              "valid",
              "renewing",
              "failed",
              "revoked",
              "expired",
              null
            ]
          },
          "issuer": {
            "type": [
              "string",
              "null"
            ]
          },
          "notAfter": {
            "type": [
              "string",
              "null"
            ]
          },
          "daysUntilExpiry": {
            "type": [
              "integer",
              "null"
            ]
          }
        }
      },
      "Backend": {
        "type": "object",
        "required": [
          "url",
          "service",
          "health"
        ],
        "properties": {
          "url": {
            "type": "string"
          },
          "service": {
            "type": "string"
          },
          "health": {
            "type": "string",
            "enum": [
              "up",
              "down",
              "unknown"
            ]
          }
        }
      },
      "CertificateSummary": {
        "type": "object",
        "required": [
          "id",
          "names",
          "status",
          "statusReason",
          "issuer",
          "serialNumber",
          "notBefore",
          "notAfter",
          "daysUntilExpiry",
          "resolver",
          "source",
          "inUse"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "names": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "issuing",
              "valid",
              "renewing",
              "failed",
              "revoked",
              "expired"
            ]
          },
          "statusReason": {
            "type": [
              "string",
              "null"
            ]
          },
          "issuer": {
            "type": [
              "string",
              "null"
            ]
          },
          "serialNumber": {
            "type": [
              "string",
              "null"
            ]
          },
          "notBefore": {
            "type": [
              "string",
              "null"
            ]
          },
          "notAfter": {
            "type": [
              "string",
              "null"
            ]
          },
          "daysUntilExpiry": {
            "type": [
              "integer",
              "null"
            ]
          },
          "resolver": {
            "type": "string"
          },
          "source": {
            "type": "string"
          },
          "inUse": {
            "type": "boolean"
          }
        }
      },
      "CertificateDetail": {
        "type": "object",
        "required": [
          "id",
          "names",
          "status",
          "statusReason",
          "issuer",
          "serialNumber",
          "notBefore",
          "notAfter",
          "daysUntilExpiry",
          "resolver",
          "source",
          "inUse",
          "keyType",
          "renewalTime",
          "nextRetryTime",
          "failureCount",
          "lastError",
          "profile",
          "createdAt",
          "updatedAt",
          "chainPEM"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "names": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "issuing",
              "valid",
              "renewing",
              "failed",
              "revoked",
              "expired"
            ]
          },
          "statusReason": {
            "type": [
              "string",
              "null"
            ]
          },
          "issuer": {
            "type": [
              "string",
              "null"
            ]
          },
          "serialNumber": {
            "type": [
              "string",
              "null"
            ]
          },
          "notBefore": {
            "type": [
              "string",
              "null"
            ]
          },
          "notAfter": {
            "type": [
              "string",
              "null"
            ]
          },
          "daysUntilExpiry": {
            "type": [
              "integer",
              "null"
            ]
          },
          "resolver": {
            "type": "string"
          },
          "source": {
            "type": "string"
          },
          "inUse": {
            "type": "boolean"
          },
          "keyType": {
            "type": [
              "string",
              "null"
            ]
          },
          "renewalTime": {
            "type": [
              "string",
              "null"
            ]
          },
          "nextRetryTime": {
            "type": [
              "string",
              "null"
            ]
          },
          "failureCount": {
            "type": "integer"
          },
          "lastError": {
            "type": [
              "string",
              "null"
            ]
          },
          "profile": {
            "type": [
              "string",
              "null"
            ]
          },
          "challenge": {
            "type": [
              "string",
              "null"
            ],
            "description": "The only challenge type its orders offer; null: the resolver's challenges."
          },
          "dnsCredential": {
            "type": [
              "string",
              "null"
            ],
            "description": "The stored DNS credential (id or name) its DNS-01 records go through; null: the resolver's provider."
          },
          "createdAt": {
            "type": [
              "string",
              "null"
            ]
          },
          "updatedAt": {
            "type": [
              "string",
              "null"
            ]
          },
          "chainPEM": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "CertificateOperation": {
        "type": "object",
        "required": [
          "operation",
          "status",
          "certificate"
        ],
        "properties": {
          "operation": {
            "type": "string",
            "enum": [
              "issue",
              "renew",
              "revoke"
            ]
          },
          "status": {
            "type": "string",
            "enum": [
              "accepted",
              "succeeded"
            ]
          },
          "message": {
            "type": "string"
          },
          "certificate": {
            "$ref": "#/components/schemas/CertificateSummary"
          }
        }
      },
      "RevocationRequest": {
        "type": "object",
        "properties": {
          "reason": {
            "oneOf": [
              {
                "type": "integer",
                "enum": [
                  0,
                  1,
                  3,
                  4,
                  5
                ]
              },
              {
                "type": "string",
                "enum": [
                  "unspecified",
                  "keyCompromise",
                  "affiliationChanged",
                  "superseded",
                  "cessationOfOperation"
                ]
              }
            ]
          }
        }
      },
      "AuditEvent": {
        "type": "object",
        "required": [
          "time",
          "kind",
          "action",
          "names",
          "detail"
        ],
        "properties": {
          "sequence": {
            "type": [
              "integer",
              "null"
            ]
          },
          "time": {
            "type": "string"
          },
          "kind": {
            "type": "string"
          },
          "action": {
            "type": "string"
          },
          "target": {
            "type": [
              "string",
              "null"
            ]
          },
          "names": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "resolver": {
            "type": [
              "string",
              "null"
            ]
          },
          "certificateID": {
            "type": [
              "string",
              "null"
            ]
          },
          "detail": {
            "type": "string"
          },
          "node": {
            "type": [
              "string",
              "null"
            ]
          },
          "token": {
            "type": [
              "string",
              "null"
            ]
          },
          "result": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "IssueRequest": {
        "type": "object",
        "required": [
          "names",
          "resolver"
        ],
        "properties": {
          "names": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "string"
            },
            "description": "DNS names, main name first; a wildcard one label deep is allowed."
          },
          "resolver": {
            "type": "string",
            "description": "A configured certificate resolver."
          },
          "challenge": {
            "type": "string",
            "enum": ["http-01", "tls-alpn-01", "dns-01"],
            "description": "The only challenge type offered for this certificate; the resolver must be configured for it. Default: the resolver's challenges."
          },
          "dns_credential": {
            "type": "string",
            "minLength": 1,
            "description": "With challenge dns-01: the id or name of a stored DNS credential whose provider publishes the DNS-01 records instead of the resolver's."
          }
        }
      },
      "FieldMessage": {
        "type": "object",
        "required": [
          "message",
          "field"
        ],
        "properties": {
          "message": {
            "type": "string"
          },
          "field": {
            "type": "string"
          }
        }
      }
    },
    "parameters": {
      "PageQuery": {
        "in": "query",
        "name": "page",
        "required": false,
        "schema": {
          "default": 1,
          "minimum": 1,
          "type": "integer"
        }
      },
      "PerPageQuery": {
        "in": "query",
        "name": "per_page",
        "required": false,
        "schema": {
          "default": 100,
          "minimum": 1,
          "type": "integer"
        }
      },
      "NamePath": {
        "description": "The item's name with its provider, e.g. `web@file` or `expose-app.example.com@api` (entry points: the bare name).",
        "in": "path",
        "name": "name",
        "required": true,
        "schema": {
          "type": "string"
        }
      },
      "StatusQuery": {
        "in": "query",
        "name": "status",
        "required": false,
        "schema": {
          "enum": [
            "enabled",
            "disabled",
            "warning"
          ],
          "type": "string"
        }
      },
      "SearchQuery": {
        "description": "Keeps items whose name (or rule) contains this text.",
        "in": "query",
        "name": "search",
        "required": false,
        "schema": {
          "type": "string"
        }
      },
      "IdPath": {
        "description": "The certificate's id.",
        "in": "path",
        "name": "id",
        "required": true,
        "schema": {
          "type": "string"
        }
      }
    }
  }
}
"""#
}
