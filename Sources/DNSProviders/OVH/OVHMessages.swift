/// A record of an OVH DNS zone (`/domain/zone/{zone}/record/{id}`).
struct OVHRecord: Codable, Sendable {
    var id: Int?
    var fieldType: String
    var subDomain: String
    var target: String
    var ttl: Int?
}

/// OVH's error body: `{"errorCode": "INVALID_SIGNATURE", "httpCode": "400 Bad Request",
/// "message": "Invalid signature"}`, or `{"class": "Client::NotFound", "message": "…"}`.
struct OVHErrorBody: Decodable, Sendable {
    var errorCode: String?
    var `class`: String?
    var message: String?
}

/// The answer of an OAuth2 token endpoint (client credentials grant).
struct OVHAccessToken: Decodable, Sendable {
    var accessToken: String
    var expiresIn: Int?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
    }
}
