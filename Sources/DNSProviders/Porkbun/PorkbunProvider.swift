import Foundation
import NIOHTTP1

/// `porkbun`: Porkbun's API v3 (`https://api.porkbun.com/api/json/v3`).
///
/// Every call is a `POST` whose JSON body carries `apikey` and `secretapikey`. Present reads the
/// TXT records at the name (`/dns/retrieveByNameType/{domain}/TXT/{subdomain}`) and creates one
/// (`/dns/create/{domain}`) unless the value is there; clean-up deletes
/// (`/dns/delete/{domain}/{id}`) only the records holding its value. Porkbun answers errors as
/// `{"status": "ERROR", "message": "…"}`; a message about the API key is an authentication
/// failure, a domain not opted in to API access a permission one, an unknown domain "zone not
/// found".
///
/// Variables (lego's): `PORKBUN_API_KEY`, `PORKBUN_SECRET_API_KEY`, `PORKBUN_TTL` (unset: the record's
/// TTL; raised to Porkbun's minimum of 600), `PORKBUN_HTTP_TIMEOUT` (default 30),
/// `PORKBUN_PROPAGATION_TIMEOUT`, `PORKBUN_POLLING_INTERVAL`; and `PORKBUN_API_URL`, the API's
/// base URL (Gatehouse extension, for tests and proxies).
public struct PorkbunProvider: DNSChallengeProvider, CustomStringConvertible {
    /// The provider as ``DNSProviderRegistry`` lists it.
    public static let kind = DNSProviderKind(
        name: "porkbun",
        environmentPrefix: "PORKBUN",
        variables: [
            .init("PORKBUN_API_KEY", required: true, secret: true, "API key (pk1_…)"),
            .init("PORKBUN_SECRET_API_KEY", required: true, secret: true, "Secret API key (sk1_…)"),
            .init("PORKBUN_TTL", "TTL of the TXT record in seconds (raised to Porkbun's minimum of 600)"),
            .init("PORKBUN_HTTP_TIMEOUT", "API request timeout in seconds (default 30)"),
            .init("PORKBUN_API_URL", "Base URL of the API (default https://api.porkbun.com/api/json/v3; Gatehouse extension, for tests and proxies)"),
        ] + DNSProviderKind.Variable.propagation("PORKBUN"),
        make: { credentials, context throws(DNSProviderError) in
            try PorkbunProvider(credentials: credentials, context: context)
        }
    )

    /// The API's public base URL.
    public static let defaultBaseURL = "https://api.porkbun.com/api/json/v3"
    /// Porkbun refuses TTLs below 600 seconds.
    public static let minimumTTL = 600

    /// `porkbun`.
    public var name: String { "porkbun" }
    /// The API's base URL, without a trailing slash.
    public let baseURL: String
    /// `PORKBUN_TTL` when set; otherwise records get ``ChallengeRecord/ttl``.
    public let configuredTTL: Int?
    private let keys: PorkbunAuthentication
    private let http: ProviderHTTPClient

    /// Reads the keys and settings from `credentials`.
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming a missing key.
    public init(credentials: DNSCredentials, context: DNSProviderContext = DNSProviderContext()) throws(DNSProviderError) {
        let provider = "porkbun"
        let apiKey = try credentials.required("PORKBUN_API_KEY", provider: provider)
        let secret = try credentials.required("PORKBUN_SECRET_API_KEY", provider: provider)
        self.keys = PorkbunAuthentication(apikey: apiKey, secretapikey: secret)
        var base = try credentials.value("PORKBUN_API_URL", provider: provider) ?? Self.defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.configuredTTL = try credentials.seconds("PORKBUN_TTL", provider: provider)
        let timeout = try credentials.seconds("PORKBUN_HTTP_TIMEOUT", provider: provider) ?? 30
        self.http = ProviderHTTPClient(provider: provider, client: context.httpClient, timeout: .seconds(Int64(max(timeout, 1))))
    }

    /// `porkbun (https://api.porkbun.com/api/json/v3)`; never a key.
    public var description: String { "porkbun (\(baseURL))" }

    /// Creates a TXT record with `record.value` unless one at the name already holds it.
    public func present(_ record: ChallengeRecord) async throws {
        if try await existing(record).contains(where: { $0.content == record.value }) { return }
        let domain = record.zoneWithoutDot
        let body = PorkbunCreateRecord(apikey: keys.apikey, secretapikey: keys.secretapikey, name: Self.subdomain(record),
                                       type: "TXT", content: record.value, ttl: String(ttl(for: record)))
        _ = try await call("/dns/create/\(domain)", json: body)
    }

    /// Deletes the TXT records at the name that hold `record.value`.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        let domain = record.zoneWithoutDot
        for match in try await existing(record) where match.content == record.value {
            _ = try await call("/dns/delete/\(domain)/\(match.id)", json: keys)
        }
    }

    // MARK: - API calls

    /// The TTL `record` is created with: ``configuredTTL`` or the record's, at least ``minimumTTL``.
    public func ttl(for record: ChallengeRecord) -> Int {
        max(configuredTTL ?? record.ttl, Self.minimumTTL)
    }

    private func existing(_ record: ChallengeRecord) async throws(DNSProviderError) -> [PorkbunAnswer.Record] {
        let subdomain = Self.subdomain(record)
        let path = "/dns/retrieveByNameType/\(record.zoneWithoutDot)/TXT" + (subdomain.isEmpty ? "" : "/\(subdomain)")
        return try await call(path, json: keys).records ?? []
    }

    private func call<Body: Encodable>(_ path: String, json: Body) async throws(DNSProviderError) -> PorkbunAnswer {
        let response = try await http.sendJSON(.POST, baseURL + path, headers: ["Accept": "application/json"], json: json)
        let answer = try? JSONDecoder().decode(PorkbunAnswer.self, from: Data(response.body))
        guard (200..<300).contains(response.status), let answer, answer.status == "SUCCESS" else {
            throw failure(response, message: answer?.message)
        }
        return answer
    }

    /// Porkbun's messages decide the kind where they say it; the status otherwise.
    private func failure(_ response: ProviderHTTPClient.Response, message: String?) -> DNSProviderError {
        let message = message ?? ""
        var error = http.classify(response, message: message)
        let lowered = message.lowercased()
        if lowered.contains("api key") || lowered.contains("apikey") {
            error.kind = .authentication
        } else if lowered.contains("opted in") || lowered.contains("not authorized") {
            error.kind = .permission
        } else if lowered.contains("invalid domain") || lowered.contains("domain not found") {
            error.kind = .zoneNotFound
        } else if (200..<300).contains(response.status) {
            error.kind = .rejected
        }
        return error
    }

    /// The record's name within the domain, empty at the apex.
    static func subdomain(_ record: ChallengeRecord) -> String {
        let relative = record.relativeName
        return relative == "@" ? "" : relative
    }
}
