import Foundation

/// Cloudflare's v4 answer: `{"success", "errors": [{"code", "message"}], "result", "result_info"}`.
struct CloudflareEnvelope<Result: Decodable>: Decodable {
    /// Whether the call worked.
    var success: Bool
    /// Why it did not.
    var errors: [CloudflareMessage]?
    /// The object or list asked for.
    var result: Result?
    /// Paging of a list.
    var resultInfo: CloudflarePage?

    enum CodingKeys: String, CodingKey {
        case success, errors, result
        case resultInfo = "result_info"
    }
}

/// One entry of an envelope's `errors`, with the causes Cloudflare chains under it.
struct CloudflareMessage: Decodable, Sendable {
    /// Cloudflare's error code (`9109`, `6003`, `81058` …).
    var code: Int
    /// Its explanation.
    var message: String
    /// Finer causes (`6111 Invalid format for Authorization header` under `6003`).
    var chain: [CloudflareMessage]?

    enum CodingKeys: String, CodingKey {
        case code, message
        case chain = "error_chain"
    }

    /// Every code in this message and its chain.
    var allCodes: [Int] { [code] + (chain ?? []).flatMap(\.allCodes) }

    /// `Invalid request headers (6003: Invalid format for Authorization header (6111))`.
    var text: String {
        let causes = (chain ?? []).map(\.text)
        return "\(message) (\(code))" + (causes.isEmpty ? "" : ": " + causes.joined(separator: "; "))
    }
}

/// `result_info` of a list.
struct CloudflarePage: Decodable, Sendable {
    /// This page's number, from 1.
    var page: Int?
    /// How many pages there are.
    var totalPages: Int?

    enum CodingKeys: String, CodingKey {
        case page
        case totalPages = "total_pages"
    }
}

/// The parts of a zone Gatehouse reads.
struct CloudflareZone: Decodable, Sendable {
    var id: String
    var name: String
}

/// The parts of a DNS record Gatehouse reads.
struct CloudflareRecord: Decodable, Sendable {
    var id: String
    var name: String?
    var content: String?
}

/// The body of `POST /zones/{id}/dns_records`.
struct CloudflareNewRecord: Encodable, Sendable {
    var type = "TXT"
    var name: String
    var content: String
    var ttl: Int
}

/// What Cloudflare's error codes mean to an operator.
enum CloudflareErrorCodes {
    /// Bad, unknown or malformed credentials: 6003 (invalid request headers) and its chain
    /// 6100–6111, 9103 (unknown key or email), 9106/9107 (missing key or email), 9109 (invalid
    /// access token), 1000 (invalid API token).
    static let authentication: Set<Int> = Set([1000, 6003, 9103, 9106, 9107, 9109]).union(6100...6111)
    /// 10000 "Authentication error": a valid credential that may not do this.
    static let permission: Set<Int> = [10000]
    /// 7003 (no such object identifier), 1001 (invalid zone identifier), 1049 (not a registered
    /// domain), 7000 (no route).
    static let zoneNotFound: Set<Int> = [1001, 1049, 7000, 7003]
    /// 971 (throttled), 10013 (rate limited).
    static let rateLimited: Set<Int> = [971, 10013]
    /// 81057 "record already exists", 81058 "an identical record already exists".
    static let alreadyExists: Set<Int> = [81057, 81058]
    /// 81044 "Record does not exist".
    static let recordMissing: Set<Int> = [81044]
}
