extension AdminRoute {
    /// `GET /api/v1/audit`: the audit trail, for admin tokens.
    static let auditRoutes: [AdminRoute] = [
        AdminRoute(.get, "/api/v1/audit", .scope(.admin), .audit, OperationDescription(
            "getAudit", summary: "The audit log",
            description: "Certificate events and changes made through this API (with the token's name, the target, the result, and the item's state before and after), newest first.",
            parameters: [
                .query("since", "Only events at or after this time (RFC 3339 or Unix seconds)."),
                .query("until", "Only events at or before this time (RFC 3339 or Unix seconds)."),
                .query("action", "Only events of this kind or action (e.g. certificate.revoke); a trailing * matches a prefix."),
                .query("target", "Only events about this target (a certificate id, host, change or DNS credential id) or one of its names."),
                .query("token", "Only changes made by the token of this name."),
                .query("result", "Only events with this result.", schema: ["type": "string", "enum": ["succeeded", "accepted", "pending", "refused", "failed"]]),
                .query("limit", "At most this many events.", schema: ["type": "integer", "minimum": 1, "maximum": 1000, "default": 100]),
            ],
            success: .json(200, "The events.", .list(of: "AuditEvent")),
            errors: [.shared(400, "BadRequest"), .json(503, "No audit log, or it is unavailable.", .schema("Message"))]
        )),
    ]
}

extension OpenAPIDocument {
    /// The audit entry (`AuditEvent`).
    static let auditComponents = #"""
{
  "schemas": {
    "AuditEvent": {
      "type": "object",
      "required": ["time", "kind", "action", "names", "detail"],
      "properties": {
        "sequence": {"type": ["integer", "null"]},
        "time": {"type": "string"},
        "kind": {"type": "string"},
        "action": {"type": "string"},
        "target": {"type": ["string", "null"]},
        "names": {"type": "array", "items": {"type": "string"}},
        "resolver": {"type": ["string", "null"]},
        "certificateID": {"type": ["string", "null"]},
        "detail": {"type": "string"},
        "node": {"type": ["string", "null"]},
        "token": {"type": ["string", "null"]},
        "result": {"type": ["string", "null"]},
        "before": {
          "type": ["object", "null"],
          "description": "The item's state before (e.g. a route's hostname, protocol, backends; a certificate's status, notAfter, serial, issuer); null when it did not exist or is not known."
        },
        "after": {"type": ["object", "null"], "description": "The item's state after; null when it no longer exists or is not known."}
      }
    }
  }
}
"""#
}
