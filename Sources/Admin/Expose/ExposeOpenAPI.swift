import Foundation

/// The expose, operations and changes routes in the OpenAPI document: their paths and schemas,
/// one of the parts merged into ``OpenAPIDocument/json`` to give the document served
/// (``OpenAPIDocument/served``).
enum ExposeOpenAPI {
    /// `{"paths": {…}, "components": {"schemas": {…}}}` for the expose routes.
    static let additions = #"""
{
  "components": {
    "parameters": {
      "ChangeIdPath": {
        "description": "The change id.",
        "in": "path",
        "name": "id",
        "required": true,
        "schema": {
          "type": "string"
        }
      }
    },
    "responses": {
      "RouteStorageUnavailable": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Message"
            }
          }
        },
        "description": "No route storage, or it is unavailable."
      }
    },
    "schemas": {
      "Change": {
        "properties": {
          "action": {
            "enum": [
              "expose",
              "unexpose"
            ],
            "type": "string"
          },
          "createdAt": {
            "type": [
              "string",
              "null"
            ]
          },
          "decidedAt": {
            "type": [
              "string",
              "null"
            ]
          },
          "decidedBy": {
            "type": [
              "string",
              "null"
            ]
          },
          "host": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "operationID": {
            "type": [
              "string",
              "null"
            ]
          },
          "plan": {
            "items": {
              "$ref": "#/components/schemas/PlanItem"
            },
            "type": "array"
          },
          "request": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/ExposeSpec"
              },
              {
                "type": "null"
              }
            ]
          },
          "requestedBy": {
            "type": "string"
          },
          "status": {
            "enum": [
              "pending",
              "approved",
              "rejected"
            ],
            "type": "string"
          }
        },
        "type": "object"
      },
      "ChangeApproved": {
        "properties": {
          "change": {
            "$ref": "#/components/schemas/Change"
          },
          "id": {
            "type": "string"
          },
          "location": {
            "type": "string"
          },
          "operation": {
            "$ref": "#/components/schemas/Operation"
          },
          "status": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "ExposeAccepted": {
        "properties": {
          "change": {
            "$ref": "#/components/schemas/Change"
          },
          "id": {
            "type": "string"
          },
          "location": {
            "type": "string"
          },
          "operation": {
            "$ref": "#/components/schemas/Operation"
          },
          "status": {
            "enum": [
              "accepted",
              "pending_approval"
            ],
            "type": "string"
          }
        },
        "required": [
          "id",
          "status",
          "location"
        ],
        "type": "object"
      },
      "ExposeConflict": {
        "properties": {
          "clashes": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "message": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "ExposeInvalid": {
        "properties": {
          "errors": {
            "items": {
              "properties": {
                "field": {
                  "type": "string"
                },
                "message": {
                  "type": "string"
                }
              },
              "type": "object"
            },
            "type": "array"
          },
          "message": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "ExposeRequest": {
        "additionalProperties": false,
        "properties": {
          "backends": {
            "description": "http(s)://host:port URLs; host:port with tls_passthrough.",
            "items": {
              "type": "string"
            },
            "minItems": 1,
            "type": "array"
          },
          "challenge": {
            "enum": [
              "http-01",
              "tls-alpn-01",
              "dns-01"
            ],
            "type": "string"
          },
          "dns_credential": {
            "description": "The id of a stored DNS credential (dns-01): its provider and lego tuning publish the DNS-01 records, also on a resolver without dnsChallenge.",
            "type": "string"
          },
          "entry_points": {
            "description": "Default web (http) or websecure (https).",
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "hostname": {
            "description": "The FQDN to serve (or give name).",
            "type": "string"
          },
          "name": {
            "description": "A name under gateway.domain: foo means foo.<domain>, served under the wildcard *.<domain>.",
            "type": "string"
          },
          "protocol": {
            "description": "Default https.",
            "enum": [
              "http",
              "https"
            ],
            "type": "string"
          },
          "resolver": {
            "description": "The certificate resolver; default gateway.resolver or the only one.",
            "type": "string"
          },
          "tls_passthrough": {
            "description": "https only: forward TLS to the backends.",
            "type": "boolean"
          }
        },
        "type": "object"
      },
      "ExposeSpec": {
        "properties": {
          "backends": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "certificate_names": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "challenge": {
            "type": [
              "string",
              "null"
            ]
          },
          "dns_credential": {
            "type": [
              "string",
              "null"
            ]
          },
          "entry_points": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "hostname": {
            "type": "string"
          },
          "name_proxy": {
            "type": "boolean"
          },
          "protocol": {
            "type": "string"
          },
          "resolver": {
            "type": [
              "string",
              "null"
            ]
          },
          "router": {
            "type": "string"
          },
          "tls_passthrough": {
            "type": "boolean"
          }
        },
        "type": "object"
      },
      "Operation": {
        "properties": {
          "action": {
            "enum": [
              "expose",
              "unexpose"
            ],
            "type": "string"
          },
          "changeID": {
            "type": [
              "string",
              "null"
            ]
          },
          "createdAt": {
            "type": [
              "string",
              "null"
            ]
          },
          "error": {
            "type": [
              "string",
              "null"
            ]
          },
          "finishedAt": {
            "type": [
              "string",
              "null"
            ]
          },
          "host": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "request": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/ExposeSpec"
              },
              {
                "type": "null"
              }
            ]
          },
          "requestedBy": {
            "type": "string"
          },
          "status": {
            "enum": [
              "pending",
              "running",
              "succeeded",
              "failed",
              "skipped"
            ],
            "type": "string"
          },
          "steps": {
            "items": {
              "$ref": "#/components/schemas/OperationStep"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "OperationStep": {
        "properties": {
          "detail": {
            "type": [
              "string",
              "null"
            ]
          },
          "durationMilliseconds": {
            "type": [
              "integer",
              "null"
            ]
          },
          "error": {
            "type": [
              "string",
              "null"
            ]
          },
          "finishedAt": {
            "type": [
              "string",
              "null"
            ]
          },
          "name": {
            "enum": [
              "validate",
              "route",
              "certificate",
              "activate"
            ],
            "type": "string"
          },
          "startedAt": {
            "type": [
              "string",
              "null"
            ]
          },
          "status": {
            "enum": [
              "pending",
              "running",
              "succeeded",
              "failed",
              "skipped"
            ],
            "type": "string"
          }
        },
        "type": "object"
      },
      "PlanItem": {
        "properties": {
          "action": {
            "type": "string"
          },
          "detail": {
            "type": [
              "string",
              "null"
            ]
          },
          "kind": {
            "type": "string"
          },
          "name": {
            "type": "string"
          }
        },
        "type": "object"
      }
    }
  },
  "paths": {
    "/api/v1/changes": {
      "get": {
        "description": "Changes made with approvals required, newest first, each with its plan: what approving it creates, changes or removes.",
        "operationId": "listChanges",
        "parameters": [
          {
            "description": "Only changes with this status.",
            "in": "query",
            "name": "status",
            "required": false,
            "schema": {
              "enum": [
                "pending",
                "approved",
                "rejected"
              ],
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "items": {
                    "$ref": "#/components/schemas/Change"
                  },
                  "type": "array"
                }
              }
            },
            "description": "The changes."
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "503": {
            "$ref": "#/components/responses/RouteStorageUnavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "summary": "Changes",
        "x-required-scope": "ingress.read"
      }
    },
    "/api/v1/changes/{id}": {
      "get": {
        "description": "The change, its plan and its decision.",
        "operationId": "getChange",
        "parameters": [
          {
            "$ref": "#/components/parameters/ChangeIdPath"
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Change"
                }
              }
            },
            "description": "The change."
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "503": {
            "$ref": "#/components/responses/RouteStorageUnavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "summary": "A change and its plan",
        "x-required-scope": "ingress.read"
      }
    },
    "/api/v1/changes/{id}/approve": {
      "post": {
        "description": "Approves a pending change and starts its operation. With `admin.fourEyes` the token that requested it cannot approve it (403). Audited.",
        "operationId": "approveChange",
        "parameters": [
          {
            "$ref": "#/components/parameters/ChangeIdPath"
          }
        ],
        "responses": {
          "202": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeApproved"
                }
              }
            },
            "description": "Approved; the operation runs on."
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Message"
                }
              }
            },
            "description": "Already decided, or the host now clashes with the file provider."
          },
          "503": {
            "$ref": "#/components/responses/RouteStorageUnavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "ingress.manage"
            ]
          }
        ],
        "summary": "Approve a change",
        "x-required-scope": "ingress.manage"
      }
    },
    "/api/v1/changes/{id}/reject": {
      "post": {
        "description": "Rejects a pending change; nothing is applied. Audited.",
        "operationId": "rejectChange",
        "parameters": [
          {
            "$ref": "#/components/parameters/ChangeIdPath"
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Change"
                }
              }
            },
            "description": "Rejected."
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Message"
                }
              }
            },
            "description": "Already decided."
          },
          "503": {
            "$ref": "#/components/responses/RouteStorageUnavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "ingress.manage"
            ]
          }
        ],
        "summary": "Reject a change",
        "x-required-scope": "ingress.manage"
      }
    },
    "/api/v1/expose": {
      "post": {
        "description": "Publishes a host name: route and (for https) certificate chained in one operation. Every field is checked first (422 lists each one at fault); a clash with the file provider's routers, services or hosts is refused (409). https: the route is prepared inactive, a valid certificate reused or one ordered, and only then the route goes live; if the certificate fails, what was prepared is removed and the operation fails with the CA's reason. Re-running the same request reuses the route and the certificate. With `admin.requireApproval` the request becomes a pending change. Audited.",
        "operationId": "expose",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ExposeRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "202": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ExposeAccepted"
                }
              }
            },
            "description": "Accepted: the operation runs on (follow `location`), or, with approvals required, the change waits for approval."
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ExposeConflict"
                }
              }
            },
            "description": "The request clashes with the file provider's configuration, or an operation for the host is running."
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ExposeInvalid"
                }
              }
            },
            "description": "Fields at fault."
          },
          "503": {
            "$ref": "#/components/responses/RouteStorageUnavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "ingress.manage"
            ]
          }
        ],
        "summary": "Expose a service",
        "x-required-scope": "ingress.manage"
      }
    },
    "/api/v1/expose/{host}": {
      "delete": {
        "description": "Removes the route made through the API for this host; its certificate stops being demanded (and renewed) unless another route uses it. With `admin.requireApproval` this becomes a pending change. Audited.",
        "operationId": "unexpose",
        "parameters": [
          {
            "description": "The host name exposed.",
            "in": "path",
            "name": "host",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "202": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ExposeAccepted"
                }
              }
            },
            "description": "Accepted: the operation runs on (follow `location`), or, with approvals required, the change waits for approval."
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Message"
                }
              }
            },
            "description": "An operation for the host is running."
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ExposeInvalid"
                }
              }
            },
            "description": "The host is not a DNS name."
          },
          "503": {
            "$ref": "#/components/responses/RouteStorageUnavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "ingress.manage"
            ]
          }
        ],
        "summary": "Remove an exposed service",
        "x-required-scope": "ingress.manage"
      }
    },
    "/api/v1/operations/{id}": {
      "get": {
        "description": "Each step (validate, route, certificate, activate) with its status, timing, detail and error.",
        "operationId": "getOperation",
        "parameters": [
          {
            "description": "The operation id.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Operation"
                }
              }
            },
            "description": "The operation."
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "503": {
            "$ref": "#/components/responses/RouteStorageUnavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "ingress.read"
            ]
          }
        ],
        "summary": "An operation and its steps",
        "x-required-scope": "ingress.read"
      }
    }
  }
}
"""#
}
