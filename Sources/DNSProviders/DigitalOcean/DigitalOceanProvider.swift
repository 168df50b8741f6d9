import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `dnsChallenge.provider: digitalocean`: TXT records through DigitalOcean's API v2
/// (`/v2/domains/{zone}/records`), authenticated with `Authorization: Bearer DO_AUTH_TOKEN`.
///
/// Variables, as lego reads them: `DO_AUTH_TOKEN` (required), `DO_API_URL` (lego's; default
/// `https://api.digitalocean.com`), `DO_HTTP_TIMEOUT`, `DO_TTL` (at least 30, DigitalOcean's
/// minimum), `DO_PROPAGATION_TIMEOUT`, `DO_POLLING_INTERVAL`.
///
/// The zone is the domain as DigitalOcean names it; records are created with a name relative
/// to it, found by their full name and type, and deleted by id.
public struct DigitalOceanProvider: DNSChallengeProvider {
    /// The registry entry.
    public static let kind = DNSProviderKind(
        name: "digitalocean",
        environmentPrefix: "DO",
        variables: [
            .init("DO_AUTH_TOKEN", required: true, secret: true, "API token (personal access token with write scope)"),
            .init("DO_API_URL", "API base URL (default https://api.digitalocean.com)"),
            .init("DO_HTTP_TIMEOUT", "API request timeout in seconds (default 30)"),
            .init("DO_TTL", "TTL of the TXT record in seconds (at least 30, DigitalOcean's minimum)"),
        ] + DNSProviderKind.Variable.propagation("DO"),
        make: { (credentials: DNSCredentials, context: DNSProviderContext) throws(DNSProviderError) -> any DNSChallengeProvider in
            try DigitalOceanProvider(credentials: credentials, context: context)
        }
    )

    /// DigitalOcean's smallest TTL.
    public static let minimumTTL = 30

    /// `digitalocean`.
    public var name: String { "digitalocean" }
    /// The API's base URL, without a trailing slash.
    public let baseURL: String
    private let token: String
    private let http: ProviderHTTPClient
    private let logger: Logger

    /// Reads the credentials (see the type's documentation).
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming `DO_AUTH_TOKEN` when it is not set.
    public init(credentials: DNSCredentials, context: DNSProviderContext) throws(DNSProviderError) {
        let provider = "digitalocean"
        token = try credentials.required("DO_AUTH_TOKEN", provider: provider)
        var base = try credentials.value("DO_API_URL", provider: provider) ?? "https://api.digitalocean.com"
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw DNSProviderError(.configuration, provider: provider, "DO_API_URL is not an http(s) URL: \"\(base)\"")
        }
        baseURL = base
        let timeout = try credentials.seconds("DO_HTTP_TIMEOUT", provider: provider) ?? 30
        http = ProviderHTTPClient(provider: provider, client: context.httpClient, timeout: .seconds(Int64(max(timeout, 1))))
        logger = context.logger
    }

    private var headers: HTTPHeaders { HTTPHeaders([("Authorization", "Bearer \(token)")]) }

    /// Creates the TXT record unless one with this value is already there.
    public func present(_ record: ChallengeRecord) async throws {
        if try await find(record).contains(where: { $0.data == record.value }) { return }
        let body = DigitalOceanNewRecord(name: record.relativeName, data: record.value, ttl: max(record.ttl, Self.minimumTTL))
        let response = try await http.sendJSON(.POST, "\(recordsURL(record))", headers: headers, json: body)
        guard (200..<300).contains(response.status) else { throw failure(response) }
        logger.debug("digitalocean: record created", metadata: ["record": "\(record.name)"])
    }

    /// Deletes the TXT records at the name holding this value; none there is success.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        for item in try await find(record) where item.data == record.value {
            let response = try await http.send(.DELETE, "\(recordsURL(record))/\(item.id)", headers: headers)
            guard (200..<300).contains(response.status) || response.status == 404 else { throw failure(response) }
        }
    }

    private func recordsURL(_ record: ChallengeRecord) -> String {
        "\(baseURL)/v2/domains/\(record.zoneWithoutDot)/records"
    }

    /// The TXT records at the record's name, every page.
    private func find(_ record: ChallengeRecord) async throws(DNSProviderError) -> [DigitalOceanRecord] {
        var found: [DigitalOceanRecord] = []
        var next: String? = "\(recordsURL(record))?type=TXT&name=\(record.fqdnWithoutDot)&per_page=200"
        var pages = 0
        while let url = next, pages < 50 {
            let response = try await http.send(.GET, url, headers: headers)
            guard (200..<300).contains(response.status) else { throw failure(response) }
            let page = try response.decode(DigitalOceanRecordList.self, provider: name)
            found += page.records
            next = page.links?.pages?.next
            pages += 1
        }
        return found
    }

    /// An error answer `{"id": "unauthorized", "message": "Unable to authenticate you"}`.
    private func failure(_ response: ProviderHTTPClient.Response) -> DNSProviderError {
        let body = try? JSONDecoder().decode(DigitalOceanError.self, from: Data(response.body))
        let detail = [body?.id, body?.message].compactMap { $0 }.joined(separator: ": ")
        return http.classify(response, message: detail)
    }
}

/// `POST /v2/domains/{domain}/records`.
struct DigitalOceanNewRecord: Encodable {
    var type = "TXT"
    var name: String
    var data: String
    var ttl: Int
}

/// One record of a list.
struct DigitalOceanRecord: Decodable {
    var id: Int
    var type: String?
    var name: String?
    var data: String?
}

/// `GET /v2/domains/{domain}/records`.
struct DigitalOceanRecordList: Decodable {
    var records: [DigitalOceanRecord]
    var links: Links?

    struct Links: Decodable {
        var pages: Pages?
    }

    struct Pages: Decodable {
        var next: String?
    }

    enum CodingKeys: String, CodingKey {
        case records = "domain_records"
        case links
    }
}

/// DigitalOcean's error body.
struct DigitalOceanError: Decodable {
    var id: String?
    var message: String?
}
