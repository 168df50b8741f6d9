extension OpenAPIDocument {
    /// The DNS credential routes and their schemas, merged into the served document.
    static let dnsCredentialsPart = #"""
{
  "paths": {
    "/api/v1/dns-credentials": {
      "get": {
        "operationId": "listDNSCredentials",
        "summary": "Stored DNS credentials",
        "description": "Every DNS provider credential stored through the API: name, provider, the names of the variables set (never a value), who stored it and when, and the last pre-flight's result. Needs acme.manage, like every DNS credential route.",
        "security": [{"bearer": ["acme.manage"]}],
        "x-required-scope": "acme.manage",
        "responses": {
          "200": {
            "description": "The credentials, by name.",
            "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/DNSCredential"}}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DNSCredentialsUnavailable"}
        }
      },
      "post": {
        "operationId": "createDNSCredential",
        "summary": "Store a DNS credential",
        "description": "Stores a provider's credential under a name, with lego's variable names (`RFC2136_TSIG_SECRET`, `CF_DNS_API_TOKEN`, …). The provider must be known; names it does not read are refused with the list it reads, and missing required ones are named. The values are encrypted at rest and never returned. Resolvers name it with `credential:`. Audited without the values.",
        "security": [{"bearer": ["acme.manage"]}],
        "x-required-scope": "acme.manage",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DNSCredentialRequest"}}}
        },
        "responses": {
          "201": {
            "description": "Stored.",
            "headers": {"Location": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DNSCredential"}}},
            "links": {
              "GetDNSCredential": {"operationId": "getDNSCredential", "parameters": {"id": "$response.body#/id"}},
              "TestDNSCredential": {"operationId": "testDNSCredential", "parameters": {"id": "$response.body#/id"}},
              "DeleteDNSCredential": {"operationId": "deleteDNSCredential", "parameters": {"id": "$response.body#/id"}}
            }
          },
          "400": {
            "description": "A field is not usable; `field` names it.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldMessage"}}}
          },
          "409": {
            "description": "A credential with this name exists.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldMessage"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DNSCredentialsUnavailable"}
        }
      }
    },
    "/api/v1/dns-credentials/{id}": {
      "get": {
        "operationId": "getDNSCredential",
        "summary": "One stored DNS credential",
        "description": "As in the list; never a value.",
        "security": [{"bearer": ["acme.manage"]}],
        "x-required-scope": "acme.manage",
        "parameters": [{"$ref": "#/components/parameters/DNSCredentialIdPath"}],
        "responses": {
          "200": {
            "description": "The credential.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DNSCredential"}}}
          },
          "404": {"$ref": "#/components/responses/NotFound"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DNSCredentialsUnavailable"}
        }
      },
      "delete": {
        "operationId": "deleteDNSCredential",
        "summary": "Delete a stored DNS credential",
        "description": "Removes the credential and its encrypted values; answers the record as it was. Audited.",
        "security": [{"bearer": ["acme.manage"]}],
        "x-required-scope": "acme.manage",
        "parameters": [{"$ref": "#/components/parameters/DNSCredentialIdPath"}],
        "responses": {
          "200": {
            "description": "Deleted.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DNSCredential"}}}
          },
          "404": {"$ref": "#/components/responses/NotFound"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DNSCredentialsUnavailable"}
        }
      }
    },
    "/api/v1/dns-credentials/{id}/test": {
      "post": {
        "operationId": "testDNSCredential",
        "summary": "Pre-flight a stored DNS credential",
        "description": "With the stored credential: finds the zone of the domain, presents a probe TXT record at `_acme-challenge.<domain>`, waits until it is visible, removes it and waits until it is gone. Answers 200 with the report whether or not a step failed: `failedStep` and `failureKind` (authentication, zone not found, permission, propagation, …) say what failed. The result is kept with the credential. Audited.",
        "security": [{"bearer": ["acme.manage"]}],
        "x-required-scope": "acme.manage",
        "parameters": [{"$ref": "#/components/parameters/DNSCredentialIdPath"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DNSCredentialTestRequest"}}}
        },
        "responses": {
          "200": {
            "description": "The pre-flight ran; the report says whether it passed.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DNSCredentialTestReport"}}}
          },
          "400": {
            "description": "A field is not usable; `field` names it.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldMessage"}}}
          },
          "404": {"$ref": "#/components/responses/NotFound"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DNSCredentialsUnavailable"}
        }
      }
    }
  },
  "components": {
    "responses": {
      "DNSCredentialsUnavailable": {
        "description": "The gateway stores no DNS credentials, or its storage failed.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}
      }
    },
    "parameters": {
      "DNSCredentialIdPath": {
        "description": "The credential's id.",
        "in": "path",
        "name": "id",
        "required": true,
        "schema": {"type": "string"}
      }
    },
    "schemas": {
      "DNSCredentialRequest": {
        "type": "object",
        "required": ["name", "provider", "entries"],
        "properties": {
          "name": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$", "description": "Unique; what resolvers' `credential:` names."},
          "provider": {"type": "string", "description": "A DNS provider Gatehouse knows (`rfc2136`, `cloudflare`, …)."},
          "entries": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "lego's variable names and their values; encrypted at rest, never returned."
          }
        }
      },
      "DNSCredential": {
        "type": "object",
        "required": ["id", "name", "provider", "variables", "createdAt", "createdBy", "lastTest"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "provider": {"type": "string"},
          "variables": {"type": "array", "items": {"type": "string"}, "description": "The names of the variables set; never their values."},
          "createdAt": {"type": "string", "format": "date-time"},
          "createdBy": {"type": "string", "description": "The name of the token that stored it."},
          "lastTest": {
            "oneOf": [
              {"type": "null"},
              {
                "type": "object",
                "required": ["time", "domain", "succeeded", "failedStep", "failureKind"],
                "properties": {
                  "time": {"type": "string", "format": "date-time"},
                  "domain": {"type": "string"},
                  "succeeded": {"type": "boolean"},
                  "failedStep": {"type": ["string", "null"]},
                  "failureKind": {"type": ["string", "null"]}
                }
              }
            ]
          }
        }
      },
      "DNSCredentialTestRequest": {
        "type": "object",
        "required": ["domain"],
        "properties": {
          "domain": {"type": "string", "description": "The domain whose `_acme-challenge` name gets the probe record (no `*.`)."}
        }
      },
      "DNSCredentialTestReport": {
        "type": "object",
        "required": ["credential", "domain", "provider", "succeeded", "failedStep", "failureKind", "steps"],
        "properties": {
          "credential": {"type": "string"},
          "domain": {"type": "string"},
          "provider": {"type": "string"},
          "succeeded": {"type": "boolean"},
          "failedStep": {"type": ["string", "null"], "description": "The first step that failed."},
          "failureKind": {
            "type": ["string", "null"],
            "description": "configuration, authentication, permission, zone not found, propagation, rate limited, network, rejected, invalid response."
          },
          "steps": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["name", "status", "detail", "failureKind", "milliseconds"],
              "properties": {
                "name": {"type": "string"},
                "status": {"type": "string", "enum": ["succeeded", "failed", "skipped"]},
                "detail": {"type": ["string", "null"]},
                "failureKind": {"type": ["string", "null"]},
                "milliseconds": {"type": "integer", "minimum": 0}
              }
            }
          }
        }
      }
    }
  }
}
"""#
}
