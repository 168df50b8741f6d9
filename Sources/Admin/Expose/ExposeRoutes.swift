extension AdminRoute {
    /// The expose chain: expose, unexpose, and the operations they start.
    static let exposeRoutes: [AdminRoute] = [
        AdminRoute(.post, "/api/v1/expose", .scope(.ingressManage), .expose, OperationDescription(
            "expose", summary: "Expose a service",
            description: "Publishes a host name: route and (for https) certificate chained in one operation. Every field is checked first (422 lists each one at fault); a clash with the file provider's routers, services or hosts is refused (409). https: the route is prepared inactive, a valid certificate reused or one ordered, and only then the route goes live; if the certificate fails, what was prepared is removed and the operation fails with the CA's reason. Re-running the same request reuses the route and the certificate. With `admin.requireApproval` the request becomes a pending change. Audited.",
            body: .required("ExposeRequest"),
            success: accepted,
            errors: [
                .shared(400, "BadRequest"),
                .json(409, "The request clashes with the file provider's configuration, or an operation for the host is running.", .schema("ExposeConflict")),
                .json(422, "Fields at fault.", .schema("ExposeInvalid")),
                .shared(503, "RouteStorageUnavailable"),
            ]
        )),
        AdminRoute(.delete, "/api/v1/expose/{host}", .scope(.ingressManage), .unexpose, OperationDescription(
            "unexpose", summary: "Remove an exposed service",
            description: "Removes the route made through the API for this host; its certificate stops being demanded (and renewed) unless another route uses it. With `admin.requireApproval` this becomes a pending change. Audited.",
            parameters: [.path("host", "The host name exposed.")],
            success: accepted,
            errors: [
                .shared(404, "NotFound"),
                .json(409, "An operation for the host is running.", .schema("Message")),
                .json(422, "The host is not a DNS name.", .schema("ExposeInvalid")),
                .shared(503, "RouteStorageUnavailable"),
            ]
        )),
        AdminRoute(.get, "/api/v1/operations/{id}", .scope(.ingressRead), .operation, OperationDescription(
            "getOperation", summary: "An operation and its steps",
            description: "Each step (validate, route, certificate, activate) with its status, timing, detail and error.",
            parameters: [.path("id", "The operation id.")],
            success: .json(200, "The operation.", .schema("Operation")),
            errors: [.shared(404, "NotFound"), .shared(503, "RouteStorageUnavailable")]
        )),
    ]

    /// The answer to expose and unexpose: an operation started, or a change waiting for approval.
    private static let accepted = OperationDescription.Response.json(
        202, "Accepted: the operation runs on (follow `location`), or, with approvals required, the change waits for approval.",
        .schema("ExposeAccepted"))
}

extension OpenAPIDocument {
    /// The schemas of the expose chain and its changes (the changes routes use them too).
    static let exposeComponents = #"""
{
  "parameters": {
    "ChangeIdPath": {
      "description": "The change id.",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {"type": "string"}
    }
  },
  "responses": {
    "RouteStorageUnavailable": {
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
      "description": "No route storage, or it is unavailable."
    }
  },
  "schemas": {
    "Change": {
      "properties": {
        "action": {"enum": ["expose", "unexpose"], "type": "string"},
        "createdAt": {"type": ["string", "null"]},
        "decidedAt": {"type": ["string", "null"]},
        "decidedBy": {"type": ["string", "null"]},
        "host": {"type": "string"},
        "id": {"type": "string"},
        "operationID": {"type": ["string", "null"]},
        "plan": {"items": {"$ref": "#/components/schemas/PlanItem"}, "type": "array"},
        "request": {"oneOf": [{"$ref": "#/components/schemas/ExposeSpec"}, {"type": "null"}]},
        "requestedBy": {"type": "string"},
        "status": {"enum": ["pending", "approved", "rejected"], "type": "string"}
      },
      "type": "object"
    },
    "ChangeApproved": {
      "properties": {
        "change": {"$ref": "#/components/schemas/Change"},
        "id": {"type": "string"},
        "location": {"type": "string"},
        "operation": {"$ref": "#/components/schemas/Operation"},
        "status": {"type": "string"}
      },
      "type": "object"
    },
    "ExposeAccepted": {
      "properties": {
        "change": {"$ref": "#/components/schemas/Change"},
        "id": {"type": "string"},
        "location": {"type": "string"},
        "operation": {"$ref": "#/components/schemas/Operation"},
        "status": {"enum": ["accepted", "pending_approval"], "type": "string"}
      },
      "required": ["id", "status", "location"],
      "type": "object"
    },
    "ExposeConflict": {
      "properties": {"clashes": {"items": {"type": "string"}, "type": "array"}, "message": {"type": "string"}},
      "type": "object"
    },
    "ExposeInvalid": {
      "properties": {
        "errors": {
          "items": {"properties": {"field": {"type": "string"}, "message": {"type": "string"}}, "type": "object"},
          "type": "array"
        },
        "message": {"type": "string"}
      },
      "type": "object"
    },
    "ExposeRequest": {
      "additionalProperties": false,
      "properties": {
        "backends": {
          "description": "http(s)://host:port URLs; host:port with tls_passthrough.",
          "items": {"type": "string"},
          "minItems": 1,
          "type": "array"
        },
        "challenge": {"enum": ["http-01", "tls-alpn-01", "dns-01"], "type": "string"},
        "dns_credential": {"description": "The id of a stored DNS credential (dns-01): its provider and lego tuning publish the DNS-01 records, also on a resolver without dnsChallenge.", "type": "string"},
        "entry_points": {
          "description": "Default web (http) or websecure (https).",
          "items": {"type": "string"},
          "type": "array"
        },
        "hostname": {"description": "The FQDN to serve (or give name).", "type": "string"},
        "name": {
          "description": "A name under gateway.domain: foo means foo.<domain>, served under the wildcard *.<domain>.",
          "type": "string"
        },
        "protocol": {"description": "Default https.", "enum": ["http", "https"], "type": "string"},
        "resolver": {
          "description": "The certificate resolver; default gateway.resolver or the only one.",
          "type": "string"
        },
        "tls_passthrough": {"description": "https only: forward TLS to the backends.", "type": "boolean"}
      },
      "type": "object"
    },
    "ExposeSpec": {
      "properties": {
        "backends": {"items": {"type": "string"}, "type": "array"},
        "certificate_names": {"items": {"type": "string"}, "type": "array"},
        "challenge": {"type": ["string", "null"]},
        "dns_credential": {"type": ["string", "null"]},
        "entry_points": {"items": {"type": "string"}, "type": "array"},
        "hostname": {"type": "string"},
        "name_proxy": {"type": "boolean"},
        "protocol": {"type": "string"},
        "resolver": {"type": ["string", "null"]},
        "router": {"type": "string"},
        "tls_passthrough": {"type": "boolean"}
      },
      "type": "object"
    },
    "Operation": {
      "properties": {
        "action": {"enum": ["expose", "unexpose"], "type": "string"},
        "changeID": {"type": ["string", "null"]},
        "createdAt": {"type": ["string", "null"]},
        "error": {"type": ["string", "null"]},
        "finishedAt": {"type": ["string", "null"]},
        "host": {"type": "string"},
        "id": {"type": "string"},
        "request": {"oneOf": [{"$ref": "#/components/schemas/ExposeSpec"}, {"type": "null"}]},
        "requestedBy": {"type": "string"},
        "status": {"enum": ["pending", "running", "succeeded", "failed", "skipped"], "type": "string"},
        "steps": {"items": {"$ref": "#/components/schemas/OperationStep"}, "type": "array"}
      },
      "type": "object"
    },
    "OperationStep": {
      "properties": {
        "detail": {"type": ["string", "null"]},
        "durationMilliseconds": {"type": ["integer", "null"]},
        "error": {"type": ["string", "null"]},
        "finishedAt": {"type": ["string", "null"]},
        "name": {"enum": ["validate", "route", "certificate", "activate"], "type": "string"},
        "startedAt": {"type": ["string", "null"]},
        "status": {"enum": ["pending", "running", "succeeded", "failed", "skipped"], "type": "string"}
      },
      "type": "object"
    },
    "PlanItem": {
      "properties": {
        "action": {"type": "string"},
        "detail": {"type": ["string", "null"]},
        "kind": {"type": "string"},
        "name": {"type": "string"}
      },
      "type": "object"
    }
  }
}
"""#
}
