extension AdminRoute {
    /// The managed certificates: reading needs ingress.read, issuing, renewing and revoking acme.manage.
    static let certificateRoutes: [AdminRoute] = [
        AdminRoute(.get, "/api/v1/certificates", .scope(.ingressRead), .certificates, OperationDescription(
            "getCertificates", summary: "Managed certificates",
            description: "Every certificate the gateway manages, by main name. Never any key.",
            success: .json(200, "The certificates.", .list(of: "CertificateSummary")),
            errors: [.shared(503, "CertificateStorageUnavailable")]
        )),
        AdminRoute(.post, "/api/v1/certificates", .scope(.acmeManage), .issueCertificate, OperationDescription(
            "issueCertificate", summary: "Issue",
            description: "Asks a resolver for a certificate for one or several names; the order runs in the background (follow GET /api/v1/certificates/{id}) and the certificate is renewed until revoked. A resolver's existing certificate for the same names is reused. Audited.",
            body: .required("IssueRequest"),
            success: .json(202, "The order was started (or a certificate exists).", .schema("CertificateOperation")),
            errors: [
                .fieldNotUsable,
                .json(502, "The storage refused the request.", .schema("Message")),
                .shared(503, "CertificateStorageUnavailable"),
            ]
        )),
        AdminRoute(.get, "/api/v1/certificates/{id}", .scope(.ingressRead), .certificate, OperationDescription(
            "getCertificate", summary: "One certificate with its chain",
            description: "The certificate's details and its chain in PEM, leaf first. Never the private key.",
            parameters: [.shared("IdPath")],
            success: .json(200, "The certificate.", .schema("CertificateDetail")),
            errors: [.shared(404, "NotFound"), .shared(503, "CertificateStorageUnavailable")]
        )),
        AdminRoute(.post, "/api/v1/certificates/{id}/renew", .scope(.acmeManage), .renewCertificate, OperationDescription(
            "renewCertificate", summary: "Renew now",
            description: "Asks for a renewal now; the order runs in the background and the current certificate serves until the new one is stored. Audited.",
            parameters: [.shared("IdPath")],
            success: .json(202, "The renewal was requested.", .schema("CertificateOperation")),
            errors: [.shared(404, "NotFound"), .shared(502, "CertificateChangeFailed"), .shared(503, "CertificateStorageUnavailable")]
        )),
        AdminRoute(.post, "/api/v1/certificates/{id}/revoke", .scope(.acmeManage), .revokeCertificate, OperationDescription(
            "revokeCertificate", summary: "Revoke",
            description: "Revokes the certificate at its CA and takes it out of serving at once; while routers still ask for its names, the gateway orders a new one. Audited.",
            parameters: [.shared("IdPath")],
            body: .optional("RevocationRequest"),
            success: .json(200, "The certificate is revoked.", .schema("CertificateOperation")),
            errors: [
                .shared(400, "BadRequest"),
                .shared(404, "NotFound"),
                .shared(502, "CertificateChangeFailed"),
                .shared(503, "CertificateStorageUnavailable"),
            ]
        )),
    ]
}

extension OpenAPIDocument {
    /// The certificate routes' schemas, path parameter and storage errors.
    static let certificateComponents = #"""
{
  "parameters": {
    "IdPath": {
      "description": "The certificate's id.",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {"type": "string"}
    }
  },
  "responses": {
    "CertificateStorageUnavailable": {
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
      "description": "No certificate storage, or it is unavailable."
    },
    "CertificateChangeFailed": {
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
      "description": "The change failed; the message carries the CA's or the storage's reason."
    }
  },
  "schemas": {
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
        "id": {"type": "string"},
        "names": {"type": "array", "items": {"type": "string"}},
        "status": {
          "type": "string",
          "enum": ["pending", "issuing", "valid", "renewing", "failed", "revoked", "expired"]
        },
        "statusReason": {"type": ["string", "null"]},
        "issuer": {"type": ["string", "null"]},
        "serialNumber": {"type": ["string", "null"]},
        "notBefore": {"type": ["string", "null"]},
        "notAfter": {"type": ["string", "null"]},
        "daysUntilExpiry": {"type": ["integer", "null"]},
        "resolver": {"type": "string"},
        "source": {"type": "string"},
        "inUse": {"type": "boolean"}
      }
    },
    "CertificateDetail": {
      "allOf": [
        {"$ref": "#/components/schemas/CertificateSummary"},
        {
          "type": "object",
          "required": [
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
            "keyType": {"type": ["string", "null"]},
            "renewalTime": {"type": ["string", "null"]},
            "nextRetryTime": {"type": ["string", "null"]},
            "failureCount": {"type": "integer"},
            "lastError": {"type": ["string", "null"]},
            "profile": {"type": ["string", "null"]},
            "challenge": {
              "type": ["string", "null"],
              "description": "The only challenge type its orders offer; null: the resolver's challenges."
            },
            "dnsCredential": {
              "type": ["string", "null"],
              "description": "The stored DNS credential (id or name) its DNS-01 records go through; null: the resolver's provider."
            },
            "createdAt": {"type": ["string", "null"]},
            "updatedAt": {"type": ["string", "null"]},
            "chainPEM": {"type": ["string", "null"]}
          }
        }
      ]
    },
    "CertificateOperation": {
      "type": "object",
      "required": ["operation", "status", "certificate"],
      "properties": {
        "operation": {"type": "string", "enum": ["issue", "renew", "revoke"]},
        "status": {"type": "string", "enum": ["accepted", "succeeded"]},
        "message": {"type": "string"},
        "certificate": {"$ref": "#/components/schemas/CertificateSummary"}
      }
    },
    "IssueRequest": {
      "type": "object",
      "required": ["names", "resolver"],
      "properties": {
        "names": {
          "type": "array",
          "minItems": 1,
          "items": {"type": "string"},
          "description": "DNS names, main name first; a wildcard one label deep is allowed."
        },
        "resolver": {"type": "string", "description": "A configured certificate resolver."},
        "challenge": {
          "type": "string",
          "enum": ["http-01", "tls-alpn-01", "dns-01"],
          "description": "The only challenge type offered for this certificate; the resolver must be configured for it, except dns-01 with dns_credential. Default: the resolver's challenges (only dns-01 with dns_credential on a resolver without dnsChallenge)."
        },
        "dns_credential": {
          "type": "string",
          "minLength": 1,
          "description": "With challenge dns-01: the id or name of a stored DNS credential whose provider publishes the DNS-01 records instead of the resolver's, also on a resolver without dnsChallenge. The credential's <PREFIX>_PROPAGATION_TIMEOUT and <PREFIX>_POLLING_INTERVAL apply where the resolver sets no propagation.timeout or propagation.interval."
        }
      }
    },
    "RevocationRequest": {
      "type": "object",
      "properties": {
        "reason": {
          "oneOf": [
            {"type": "integer", "enum": [0, 1, 3, 4, 5]},
            {
              "type": "string",
              "enum": ["unspecified", "keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation"]
            }
          ]
        }
      }
    }
  }
}
"""#
}
