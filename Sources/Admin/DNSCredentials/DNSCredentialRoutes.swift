extension AdminRoute {
    /// DNS credentials: every route needs acme.manage, reading included (the list says which
    /// providers and variables are configured, which is for whoever manages certificates).
    static let dnsCredentialRoutes: [AdminRoute] = [
        AdminRoute(.get, "/api/v1/dns-credentials", .scope(.acmeManage), .dnsCredentials, OperationDescription(
            "listDNSCredentials", summary: "Stored DNS credentials",
            description: "Every DNS provider credential stored through the API: name, provider, the names of the variables set (never a value), who stored it and when, and the last pre-flight's result. Needs acme.manage, like every DNS credential route.",
            success: .json(200, "The credentials, by name.", .list(of: "DNSCredential")),
            errors: [.shared(503, "DNSCredentialsUnavailable")]
        )),
        AdminRoute(.post, "/api/v1/dns-credentials", .scope(.acmeManage), .createDNSCredential, OperationDescription(
            "createDNSCredential", summary: "Store a DNS credential",
            description: "Stores a provider's credential under a name, with lego's variable names (`RFC2136_TSIG_SECRET`, `CF_DNS_API_TOKEN`, …). The provider must be known; names it does not read are refused with the list it reads, and missing required ones are named. The values are encrypted at rest and never returned. Resolvers name it with `credential:`. Audited without the values.",
            body: .required("DNSCredentialRequest"),
            success: .json(201, "Stored.", .schema("DNSCredential"), headers: ["Location": ["schema": ["type": "string"]]], links: [
                "GetDNSCredential": ["operationId": "getDNSCredential", "parameters": ["id": "$response.body#/id"]],
                "TestDNSCredential": ["operationId": "testDNSCredential", "parameters": ["id": "$response.body#/id"]],
                "DeleteDNSCredential": ["operationId": "deleteDNSCredential", "parameters": ["id": "$response.body#/id"]],
            ]),
            errors: [
                .fieldNotUsable,
                .json(409, "A credential with this name exists.", .schema("FieldMessage")),
                .shared(503, "DNSCredentialsUnavailable"),
            ]
        )),
        AdminRoute(.get, "/api/v1/dns-credentials/{id}", .scope(.acmeManage), .dnsCredential, OperationDescription(
            "getDNSCredential", summary: "One stored DNS credential",
            description: "As in the list; never a value.",
            parameters: [.shared("DNSCredentialIdPath")],
            success: .json(200, "The credential.", .schema("DNSCredential")),
            errors: [.shared(404, "NotFound"), .shared(503, "DNSCredentialsUnavailable")]
        )),
        AdminRoute(.delete, "/api/v1/dns-credentials/{id}", .scope(.acmeManage), .deleteDNSCredential, OperationDescription(
            "deleteDNSCredential", summary: "Delete a stored DNS credential",
            description: "Removes the credential and its encrypted values; answers the record as it was. Audited.",
            parameters: [.shared("DNSCredentialIdPath")],
            success: .json(200, "Deleted.", .schema("DNSCredential")),
            errors: [.shared(404, "NotFound"), .shared(503, "DNSCredentialsUnavailable")]
        )),
        AdminRoute(.post, "/api/v1/dns-credentials/{id}/test", .scope(.acmeManage), .testDNSCredential, OperationDescription(
            "testDNSCredential", summary: "Pre-flight a stored DNS credential",
            description: "With the stored credential: finds the zone of the domain, presents a probe TXT record at `_acme-challenge.<domain>`, waits until it is visible, removes it and waits until it is gone. Answers 200 with the report whether or not a step failed: `failedStep` and `failureKind` (authentication, zone not found, permission, propagation, …) say what failed. The result is kept with the credential. Audited.",
            parameters: [.shared("DNSCredentialIdPath")],
            body: .required("DNSCredentialTestRequest"),
            success: .json(200, "The pre-flight ran; the report says whether it passed.", .schema("DNSCredentialTestReport")),
            errors: [
                .fieldNotUsable,
                .shared(404, "NotFound"),
                .shared(503, "DNSCredentialsUnavailable"),
            ]
        )),
    ]
}

extension OpenAPIDocument {
    /// The DNS credential schemas, path parameter and storage error.
    static let dnsCredentialComponents = #"""
{
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
        "name": {
          "type": "string",
          "pattern": "^[A-Za-z0-9._-]{1,64}$",
          "description": "Unique; what resolvers' `credential:` names."
        },
        "provider": {
          "type": "string",
          "description": "A DNS provider Gatehouse knows (`rfc2136`, `cloudflare`, …)."
        },
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
        "variables": {
          "type": "array",
          "items": {"type": "string"},
          "description": "The names of the variables set; never their values."
        },
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
        "domain": {
          "type": "string",
          "description": "The domain whose `_acme-challenge` name gets the probe record (no `*.`)."
        }
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
"""#
}
