import NIOHTTP1

/// How requests to Cloudflare's API authenticate: an API token (`Authorization: Bearer`) or the
/// account's global API key (`X-Auth-Email` + `X-Auth-Key`).
///
/// ``description`` says which kind it is, never the secret.
enum CloudflareAuthentication: Sendable, CustomStringConvertible {
    /// A scoped API token (`CF_DNS_API_TOKEN`, `CF_ZONE_API_TOKEN`).
    case token(String)
    /// The global API key and its account's email (`CF_API_EMAIL`, `CF_API_KEY`).
    case globalKey(email: String, key: String)

    /// The headers that carry the credential.
    var headers: HTTPHeaders {
        switch self {
        case .token(let token):
            HTTPHeaders([("Authorization", "Bearer \(token)")])
        case .globalKey(let email, let key):
            HTTPHeaders([("X-Auth-Email", email), ("X-Auth-Key", key)])
        }
    }

    /// `API token` or `global API key`.
    var description: String {
        switch self {
        case .token: "API token"
        case .globalKey: "global API key"
        }
    }
}
