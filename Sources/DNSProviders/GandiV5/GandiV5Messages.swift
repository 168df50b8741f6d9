/// A LiveDNS rrset as read (`GET …/records/{name}/TXT`) and written (`PUT`).
struct GandiV5RRSet: Codable, Sendable {
    var rrsetTTL: Int?
    var rrsetValues: [String]

    enum CodingKeys: String, CodingKey {
        case rrsetTTL = "rrset_ttl"
        case rrsetValues = "rrset_values"
    }

    init(rrsetTTL: Int?, rrsetValues: [String]) {
        self.rrsetTTL = rrsetTTL
        self.rrsetValues = rrsetValues
    }
}

/// Gandi's error body: `{"code": 403, "message": "…", "object": "HTTPForbidden", "cause": "Forbidden",
/// "errors": [{"location", "name", "description"}]}`.
struct GandiV5ErrorBody: Decodable, Sendable {
    struct FieldError: Decodable, Sendable {
        var name: String?
        var description: String?
    }

    var message: String?
    var cause: String?
    var errors: [FieldError]?

    /// The message, then each field error (`rrset_ttl: …`).
    var summary: String {
        var parts = [message ?? cause ?? ""].filter { !$0.isEmpty }
        for error in errors ?? [] {
            parts.append([error.name, error.description].compactMap { $0 }.joined(separator: ": "))
        }
        return parts.joined(separator: "; ")
    }
}
