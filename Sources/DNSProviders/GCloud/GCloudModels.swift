/// A Cloud DNS resource record set (`dns#resourceRecordSet`).
struct GCloudRecordSet: Codable, Sendable, Equatable {
    var name: String
    var type: String
    var ttl: Int?
    var rrdatas: [String]
}

/// `managedZones.list`'s answer.
struct GCloudZoneList: Decodable {
    var managedZones: [Zone]?
    var nextPageToken: String?

    struct Zone: Decodable {
        /// The zone's resource name (`example-com`), used in paths.
        var name: String
        /// `example.com.`
        var dnsName: String
        /// `public` or `private`.
        var visibility: String?
    }
}

/// `resourceRecordSets.list`'s answer.
struct GCloudRecordSetList: Decodable {
    var rrsets: [GCloudRecordSet]?
    var nextPageToken: String?
}

/// The body of `changes.create`.
struct GCloudNewChange: Encodable {
    var additions: [GCloudRecordSet]
    var deletions: [GCloudRecordSet]
}

/// A change (`dns#change`): `pending` until `done`.
struct GCloudChange: Decodable {
    var id: String
    var status: String?
}

/// Google's error body: `{"error": {"code", "message", "status", "errors": [{"reason"}]}}`.
struct GCloudErrorBody: Decodable {
    var error: Detail?

    struct Detail: Decodable {
        var code: Int?
        var message: String?
        var status: String?
        var errors: [Reason]?
    }

    struct Reason: Decodable {
        var reason: String?
    }
}
