/// One record of a Hetzner Cloud RRSet: `{"value": "\"text\"", "comment": "…"}`.
struct HetznerRecord: Codable, Sendable {
    var value: String
}

/// The body of `add_records` and `remove_records`.
struct HetznerRecordsChange: Encodable, Sendable {
    var ttl: Int?
    var records: [HetznerRecord]
}

/// `GET /zones/{zone}/rrsets/{name}/{type}`: `{"rrset": {"name", "type", "ttl", "records"}}`.
struct HetznerRRSetResponse: Decodable, Sendable {
    struct RRSet: Decodable, Sendable {
        var records: [HetznerRecord]
    }

    var rrset: RRSet
}

/// An asynchronous action (`{"action": {"id", "status": "running" | "success" | "error", "error"}}`).
struct HetznerActionResponse: Decodable, Sendable {
    struct Action: Decodable, Sendable {
        var id: Int
        var status: String
        var error: HetznerErrorBody.Detail?
    }

    var action: Action
}

/// Hetzner Cloud's error body: `{"error": {"code": "unauthorized", "message": "…", "details": {…}}}`.
struct HetznerErrorBody: Decodable, Sendable {
    struct Detail: Decodable, Sendable {
        var code: String?
        var message: String?
    }

    var error: Detail
}
