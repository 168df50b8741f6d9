import Foundation
import NIOHTTP1

/// `gandiv5`: Gandi LiveDNS, API v5 (`https://api.gandi.net/v5/livedns`).
///
/// Authenticates with a personal access token sent as `Authorization: Bearer <token>`. Gandi's
/// deprecated API key (`GANDIV5_API_KEY`, sent as `Authorization: Apikey …`) is refused at
/// configuration: Gandi answers that header with 403 even for a valid key.
///
/// Records are Gandi's TXT rrsets: the set at a name is read, one value added or removed, and
/// the set written back (deleted when it becomes empty), so an apex and its wildcard can hold
/// their values at one name together.
///
/// Variables (lego's): `GANDIV5_PERSONAL_ACCESS_TOKEN`, `GANDIV5_TTL` (unset: the record's
/// TTL; raised to Gandi's minimum of 300), `GANDIV5_HTTP_TIMEOUT`, `GANDIV5_PROPAGATION_TIMEOUT`,
/// `GANDIV5_POLLING_INTERVAL`;
/// and `GANDIV5_API_URL`, the API's base URL (Gatehouse extension, for tests and proxies).
public struct GandiV5Provider: DNSChallengeProvider, CustomStringConvertible {
    /// The provider as ``DNSProviderRegistry`` lists it.
    public static let kind = DNSProviderKind(
        name: "gandiv5",
        environmentPrefix: "GANDIV5",
        variables: [
            .init("GANDIV5_PERSONAL_ACCESS_TOKEN", required: true, secret: true, "Personal access token with LiveDNS permission, sent as Authorization: Bearer"),
            .init("GANDIV5_API_KEY", secret: true, "Deprecated API key: refused, Gandi rejects the Apikey header; set GANDIV5_PERSONAL_ACCESS_TOKEN"),
            .init("GANDIV5_TTL", "TTL of the TXT record in seconds (at least 300, Gandi's minimum)"),
            .init("GANDIV5_HTTP_TIMEOUT", "API request timeout in seconds (default 30)"),
            .init("GANDIV5_API_URL", "Base URL of LiveDNS (default https://api.gandi.net/v5/livedns; Gatehouse extension, for tests and proxies)"),
        ] + DNSProviderKind.Variable.propagation("GANDIV5"),
        make: { credentials, context throws(DNSProviderError) in
            try GandiV5Provider(credentials: credentials, context: context)
        }
    )

    /// LiveDNS's public base URL.
    public static let defaultBaseURL = "https://api.gandi.net/v5/livedns"
    /// Gandi refuses TTLs below 300 seconds.
    public static let minimumTTL = 300

    /// `gandiv5`.
    public var name: String { "gandiv5" }
    /// The LiveDNS base URL, without a trailing slash.
    public let baseURL: String
    /// `GANDIV5_TTL` when set; otherwise records get ``ChallengeRecord/ttl``.
    public let configuredTTL: Int?
    private let token: String
    private let http: ProviderHTTPClient

    /// Reads the token and settings from `credentials`.
    /// - Throws: ``DNSProviderError/Kind/configuration`` when the token is missing (saying why
    ///   the deprecated API key is not used when only that one is set).
    public init(credentials: DNSCredentials, context: DNSProviderContext = DNSProviderContext()) throws(DNSProviderError) {
        let provider = "gandiv5"
        guard let token = try credentials.value("GANDIV5_PERSONAL_ACCESS_TOKEN", provider: provider) else {
            if try credentials.value("GANDIV5_API_KEY", provider: provider) != nil {
                throw DNSProviderError(
                    .configuration, provider: provider,
                    "GANDIV5_API_KEY is Gandi's deprecated API key, which goes in the deprecated \"Authorization: Apikey\" header that Gandi answers with 403; create a personal access token with the LiveDNS permission in Gandi's account settings and set GANDIV5_PERSONAL_ACCESS_TOKEN (or GANDIV5_PERSONAL_ACCESS_TOKEN_FILE) instead")
            }
            throw DNSProviderError(.configuration, provider: provider, "missing GANDIV5_PERSONAL_ACCESS_TOKEN (or GANDIV5_PERSONAL_ACCESS_TOKEN_FILE)")
        }
        self.token = token
        var base = try credentials.value("GANDIV5_API_URL", provider: provider) ?? Self.defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.configuredTTL = try credentials.seconds("GANDIV5_TTL", provider: provider)
        let timeout = try credentials.seconds("GANDIV5_HTTP_TIMEOUT", provider: provider) ?? 30
        self.http = ProviderHTTPClient(provider: provider, client: context.httpClient, timeout: .seconds(Int64(max(timeout, 1))))
    }

    /// `gandiv5 (https://api.gandi.net/v5/livedns)`; never the token.
    public var description: String { "gandiv5 (\(baseURL))" }

    /// Adds `record.value` to the TXT rrset at the record's name (creating the rrset).
    public func present(_ record: ChallengeRecord) async throws {
        try await requireDomain(record.zoneWithoutDot)
        var values = try await currentValues(record)
        if values.contains(record.value) { return }
        values.append(record.value)
        try await write(values, for: record)
    }

    /// Removes `record.value` from the TXT rrset, deleting the rrset when it was the last value.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        var values = try await currentValues(record)
        guard let index = values.firstIndex(of: record.value) else { return }
        values.remove(at: index)
        if values.isEmpty {
            let response = try await http.send(.DELETE, rrsetURL(record), headers: headers())
            guard response.status == 204 || response.status == 200 || response.status == 404 else {
                throw failure(response)
            }
        } else {
            try await write(values, for: record)
        }
    }

    // MARK: - LiveDNS calls

    private func requireDomain(_ fqdn: String) async throws(DNSProviderError) {
        let response = try await http.send(.GET, "\(baseURL)/domains/\(fqdn)", headers: headers())
        guard response.status == 200 else {
            var error = failure(response)
            if response.status == 404 { error.detail = "\(fqdn) is not a LiveDNS domain of this account (\(error.detail))" }
            throw error
        }
    }

    /// The values at the record's name, their quotes taken off; empty when no rrset exists.
    private func currentValues(_ record: ChallengeRecord) async throws(DNSProviderError) -> [String] {
        let response = try await http.send(.GET, rrsetURL(record), headers: headers())
        if response.status == 404 { return [] }
        guard response.status == 200 else { throw failure(response) }
        let rrset = try response.decode(GandiV5RRSet.self, provider: name)
        return rrset.rrsetValues.map(Self.unquoted)
    }

    private func write(_ values: [String], for record: ChallengeRecord) async throws(DNSProviderError) {
        let body = GandiV5RRSet(rrsetTTL: ttl(for: record), rrsetValues: values)
        let response = try await http.sendJSON(.PUT, rrsetURL(record), headers: headers(), json: body)
        guard (200..<300).contains(response.status) else { throw failure(response) }
    }

    /// The TTL `record` is written with: ``configuredTTL`` or the record's, at least ``minimumTTL``.
    public func ttl(for record: ChallengeRecord) -> Int {
        max(configuredTTL ?? record.ttl, Self.minimumTTL)
    }

    private func rrsetURL(_ record: ChallengeRecord) -> String {
        "\(baseURL)/domains/\(record.zoneWithoutDot)/records/\(record.relativeName)/TXT"
    }

    private func headers() -> HTTPHeaders {
        HTTPHeaders([("Authorization", "Bearer \(token)"), ("Accept", "application/json")])
    }

    /// Gandi's error body (`{"code","message","object","cause","errors":[…]}`) as an error.
    private func failure(_ response: ProviderHTTPClient.Response) -> DNSProviderError {
        let body = try? JSONDecoder().decode(GandiV5ErrorBody.self, from: Data(response.body))
        return http.classify(response, message: body?.summary ?? "")
    }

    /// TXT values come back from Gandi in double quotes.
    static func unquoted(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        return String(value.dropFirst().dropLast())
    }
}
