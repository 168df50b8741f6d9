import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `dnsChallenge.provider: cloudflare`: TXT records through Cloudflare's v4 API.
///
/// Credentials, as lego reads them: an API token `CF_DNS_API_TOKEN` (alias
/// `CLOUDFLARE_DNS_API_TOKEN`) with DNS:Edit, optionally `CF_ZONE_API_TOKEN` (alias
/// `CLOUDFLARE_ZONE_API_TOKEN`) with Zone:Read for the zone lookup; or the global key pair
/// `CF_API_EMAIL` + `CF_API_KEY` (aliases `CLOUDFLARE_EMAIL`, `CLOUDFLARE_API_KEY`), sent as
/// `X-Auth-Email` / `X-Auth-Key`. A token wins over the key pair when both are set.
/// `CLOUDFLARE_BASE_URL` (lego's) overrides `https://api.cloudflare.com/client/v4`;
/// `CLOUDFLARE_HTTP_TIMEOUT` bounds each request.
///
/// The zone id is found by name (`GET /zones?name=`); the record is created with
/// `POST /zones/{id}/dns_records` and removed by finding it by name and content.
public struct CloudflareProvider: DNSChallengeProvider {
    /// The registry entry.
    public static let kind = DNSProviderKind(
        name: "cloudflare",
        environmentPrefix: "CLOUDFLARE",
        variables: [
            .init("CF_DNS_API_TOKEN", aliases: ["CLOUDFLARE_DNS_API_TOKEN"], required: true, secret: true,
                  "API token with DNS:Edit permission (or set CF_API_EMAIL and CF_API_KEY)"),
            .init("CF_ZONE_API_TOKEN", aliases: ["CLOUDFLARE_ZONE_API_TOKEN"], secret: true,
                  "API token with Zone:Read permission, for the zone lookup (default: CF_DNS_API_TOKEN)"),
            .init("CF_API_EMAIL", aliases: ["CLOUDFLARE_EMAIL"], "account email, with CF_API_KEY"),
            .init("CF_API_KEY", aliases: ["CLOUDFLARE_API_KEY"], secret: true, "global API key, with CF_API_EMAIL"),
            .init("CLOUDFLARE_BASE_URL", "API base URL (default https://api.cloudflare.com/client/v4)"),
            .init("CLOUDFLARE_HTTP_TIMEOUT", "API request timeout in seconds (default 30)"),
            .init("CLOUDFLARE_TTL", "TTL of the TXT record in seconds (at least 60, Cloudflare's minimum)"),
        ] + DNSProviderKind.Variable.propagation("CLOUDFLARE"),
        make: { (credentials: DNSCredentials, context: DNSProviderContext) throws(DNSProviderError) -> any DNSChallengeProvider in
            try CloudflareProvider(credentials: credentials, context: context)
        }
    )

    /// The smallest TTL Cloudflare accepts other than 1 ("automatic").
    public static let minimumTTL = 60

    /// `cloudflare`.
    public var name: String { "cloudflare" }
    /// The API's base URL, without a trailing slash.
    public let baseURL: String
    private let dnsAuthentication: CloudflareAuthentication
    private let zoneAuthentication: CloudflareAuthentication
    private let http: ProviderHTTPClient
    private let logger: Logger

    /// Reads the credentials (see the type's documentation).
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming the variables when neither a
    ///   token nor the whole key pair is set.
    public init(credentials: DNSCredentials, context: DNSProviderContext) throws(DNSProviderError) {
        let provider = "cloudflare"
        let dnsToken = try credentials.value(anyOf: ["CF_DNS_API_TOKEN", "CLOUDFLARE_DNS_API_TOKEN"], provider: provider)
        let zoneToken = try credentials.value(anyOf: ["CF_ZONE_API_TOKEN", "CLOUDFLARE_ZONE_API_TOKEN"], provider: provider)
        let email = try credentials.value(anyOf: ["CF_API_EMAIL", "CLOUDFLARE_EMAIL"], provider: provider)
        let key = try credentials.value(anyOf: ["CF_API_KEY", "CLOUDFLARE_API_KEY"], provider: provider)
        if let dnsToken {
            dnsAuthentication = .token(dnsToken)
            zoneAuthentication = .token(zoneToken ?? dnsToken)
        } else if let email, let key {
            dnsAuthentication = .globalKey(email: email, key: key)
            zoneAuthentication = zoneToken.map { .token($0) } ?? dnsAuthentication
        } else {
            let missing = email == nil && key != nil ? "CF_API_EMAIL (or CLOUDFLARE_EMAIL) to go with CF_API_KEY"
                : key == nil && email != nil ? "CF_API_KEY (or CLOUDFLARE_API_KEY) to go with CF_API_EMAIL"
                : "CF_DNS_API_TOKEN (or CLOUDFLARE_DNS_API_TOKEN), or CF_API_EMAIL and CF_API_KEY"
            throw DNSProviderError(.configuration, provider: provider, "missing \(missing) (each may be given as NAME_FILE)")
        }
        var base = try credentials.value("CLOUDFLARE_BASE_URL", provider: provider) ?? "https://api.cloudflare.com/client/v4"
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw DNSProviderError(.configuration, provider: provider, "CLOUDFLARE_BASE_URL is not an http(s) URL: \"\(base)\"")
        }
        baseURL = base
        let timeout = try credentials.seconds("CLOUDFLARE_HTTP_TIMEOUT", provider: provider) ?? 30
        http = ProviderHTTPClient(provider: provider, client: context.httpClient, timeout: .seconds(Int64(max(timeout, 1))))
        logger = context.logger
    }

    /// Creates the TXT record; an identical record already there is success.
    public func present(_ record: ChallengeRecord) async throws {
        let zone = try await zoneID(record)
        let body = CloudflareNewRecord(name: record.fqdnWithoutDot, content: record.value, ttl: max(record.ttl, Self.minimumTTL))
        let response = try await http.sendJSON(.POST, "\(baseURL)/zones/\(zone)/dns_records", headers: dnsAuthentication.headers, json: body)
        if let error = failure(response) {
            if error.codes.contains(where: CloudflareErrorCodes.alreadyExists.contains) {
                logger.debug("cloudflare: record already present", metadata: ["record": "\(record.name)"])
                return
            }
            throw error.error
        }
        logger.debug("cloudflare: record created", metadata: ["record": "\(record.name)", "zone": "\(record.zone)"])
    }

    /// Deletes the TXT records at the name holding this value; none there is success.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        let zone = try await zoneID(record)
        let query = queryString([("type", "TXT"), ("name", record.fqdnWithoutDot), ("content", record.value), ("per_page", "100")])
        let found: [CloudflareRecord] = try await list("\(baseURL)/zones/\(zone)/dns_records?\(query)", authentication: dnsAuthentication)
        for item in found where item.content == nil || item.content == record.value {
            let response = try await http.send(.DELETE, "\(baseURL)/zones/\(zone)/dns_records/\(item.id)", headers: dnsAuthentication.headers)
            if let error = failure(response), !error.codes.contains(where: CloudflareErrorCodes.recordMissing.contains) {
                throw error.error
            }
        }
        logger.debug("cloudflare: records removed", metadata: ["record": "\(record.name)", "count": "\(found.count)"])
    }

    /// The id of the zone named `record.zone`.
    private func zoneID(_ record: ChallengeRecord) async throws(DNSProviderError) -> String {
        let query = queryString([("name", record.zoneWithoutDot), ("per_page", "50")])
        let zones: [CloudflareZone] = try await list("\(baseURL)/zones?\(query)", authentication: zoneAuthentication)
        guard let zone = zones.first(where: { $0.name.lowercased() == record.zoneWithoutDot }) else {
            throw DNSProviderError(.zoneNotFound, provider: name, "no zone \(record.zoneWithoutDot) is visible to the \(zoneAuthentication)")
        }
        return zone.id
    }

    /// Every item of a paged list (at most 50 pages).
    private func list<Item: Decodable>(_ url: String, authentication: CloudflareAuthentication) async throws(DNSProviderError) -> [Item] {
        var items: [Item] = []
        var page = 1
        while page <= 50 {
            let response = try await http.send(.GET, "\(url)&page=\(page)", headers: authentication.headers)
            if let error = failure(response) { throw error.error }
            let envelope = try response.decode(CloudflareEnvelope<[Item]>.self, provider: name)
            items += envelope.result ?? []
            guard let total = envelope.resultInfo?.totalPages, page < total else { break }
            page += 1
        }
        return items
    }

    /// The error an answer carries (an error status or `"success": false`), with its codes.
    private func failure(_ response: ProviderHTTPClient.Response) -> (error: DNSProviderError, codes: [Int])? {
        let envelope = try? JSONDecoder().decode(CloudflareEnvelope<CloudflareIgnored>.self, from: Data(response.body))
        if (200..<300).contains(response.status), envelope?.success != false { return nil }
        let messages = envelope?.errors ?? []
        let codes = messages.flatMap(\.allCodes)
        let detail = messages.map(\.text).joined(separator: "; ")
        let kind: DNSProviderError.Kind? =
            codes.contains(where: CloudflareErrorCodes.authentication.contains) ? .authentication
            : codes.contains(where: CloudflareErrorCodes.permission.contains) ? .permission
            : codes.contains(where: CloudflareErrorCodes.rateLimited.contains) ? .rateLimited
            : codes.contains(where: CloudflareErrorCodes.zoneNotFound.contains) ? .zoneNotFound
            : nil
        if let kind {
            return (DNSProviderError(kind, provider: name, detail, status: response.status), codes)
        }
        if (200..<300).contains(response.status) {
            return (DNSProviderError(.rejected, provider: name, detail.isEmpty ? "success: false" : detail, status: response.status), codes)
        }
        return (http.classify(response, message: detail), codes)
    }

    /// `a=1&b=2`, values percent-encoded.
    private func queryString(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
    }
}

/// A `result` whose content does not matter.
private struct CloudflareIgnored: Decodable {
    init(from decoder: any Decoder) throws {}
}
