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

/// Legacy DNS Console: `GET /zones?name=…` → `{"zones": [{"id", "name"}]}`.
struct HetznerConsoleZones: Decodable, Sendable {
    struct Zone: Decodable, Sendable {
        var id: String
        var name: String
    }

    var zones: [Zone]
}

/// Legacy DNS Console: a record, as `POST /records` takes it and `GET /records` lists it.
struct HetznerConsoleRecord: Codable, Sendable {
    var id: String?
    var type: String
    var name: String
    var value: String
    var ttl: Int?
    var zoneID: String

    enum CodingKeys: String, CodingKey {
        case id, type, name, value, ttl
        case zoneID = "zone_id"
    }
}

/// Legacy DNS Console: `GET /records?zone_id=…` → `{"records": […]}`.
struct HetznerConsoleRecords: Decodable, Sendable {
    var records: [HetznerConsoleRecord]
}

/// Legacy DNS Console errors: `{"message": "…"}` or `{"error": {"message", "code"}}`.
struct HetznerConsoleErrorBody: Decodable, Sendable {
    struct Detail: Decodable, Sendable {
        var message: String?
    }

    var message: String?
    var error: Detail?
}
