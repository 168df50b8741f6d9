import Foundation
import Logging
import NIOHTTP1

/// `hetzner`: Hetzner DNS through the Hetzner Cloud API (`https://api.hetzner.cloud/v1`), what
/// lego's `hetzner` provider uses for `HETZNER_API_TOKEN` (its `hetznerv1` code).
///
/// The token is sent as `Authorization: Bearer`. A value is added with the RRSet action
/// `POST /zones/{zone}/rrsets/{name}/TXT/actions/add_records` (which creates the RRSet) and
/// removed with `…/actions/remove_records`, so values at one name coexist; each action is
/// followed (`GET /actions/{id}`) until it succeeds or fails. TXT values are sent in quotes,
/// as the API wants them.
///
/// Like lego, a configuration with only the legacy DNS Console's `HETZNER_API_KEY` still works:
/// it goes to `https://dns.hetzner.com/api/v1` with the `Auth-API-Token` header (records
/// created with `POST /records`, removed by id), with a warning in the log, since Hetzner
/// deprecated that API when DNS moved to the Cloud API. `HETZNER_API_TOKEN` wins when both are set.
///
/// Variables (lego's): `HETZNER_API_TOKEN`, `HETZNER_API_KEY`, `HETZNER_TTL` (at least 60; unset,
/// the record's TTL), `HETZNER_HTTP_TIMEOUT` (default 30), `HETZNER_PROPAGATION_TIMEOUT` (default 60,
/// also how long an action is followed), `HETZNER_POLLING_INTERVAL`; and `HETZNER_API_URL`, the
/// base URL of the API in use (Gatehouse extension, for tests and proxies).
public struct HetznerProvider: DNSChallengeProvider, CustomStringConvertible {
    /// The provider as ``DNSProviderRegistry`` lists it.
    public static let kind = DNSProviderKind(
        name: "hetzner",
        environmentPrefix: "HETZNER",
        variables: [
            .init("HETZNER_API_TOKEN", required: true, secret: true, "Hetzner Cloud API token (read & write) of the project holding the zone"),
            .init("HETZNER_API_KEY", secret: true, "Legacy DNS Console API key (deprecated by Hetzner); used only when HETZNER_API_TOKEN is not set"),
            .init("HETZNER_TTL", "TTL of the TXT record in seconds (at least 60; default: the record's, 120)"),
            .init("HETZNER_HTTP_TIMEOUT", "API request timeout in seconds (default 30)"),
            .init("HETZNER_API_URL", "Base URL of the API in use (default https://api.hetzner.cloud/v1, or https://dns.hetzner.com/api/v1 with HETZNER_API_KEY; Gatehouse extension, for tests and proxies)"),
        ] + DNSProviderKind.Variable.propagation("HETZNER"),
        make: { credentials, context throws(DNSProviderError) in
            try HetznerProvider(credentials: credentials, context: context)
        }
    )

    /// The Cloud API's public base URL.
    public static let defaultBaseURL = "https://api.hetzner.cloud/v1"
    /// Hetzner refuses TTLs below 60 seconds.
    public static let minimumTTL = 60
    /// The legacy DNS Console API's public base URL.
    public static let consoleBaseURL = "https://dns.hetzner.com/api/v1"

    /// Which of Hetzner's two DNS APIs a provider talks to.
    public enum API: String, Sendable {
        /// The Cloud API (`HETZNER_API_TOKEN`, `Authorization: Bearer`).
        case cloud
        /// The legacy DNS Console API (`HETZNER_API_KEY`, `Auth-API-Token`).
        case dnsConsole
    }

    /// `hetzner`.
    public var name: String { "hetzner" }
    /// The API's base URL, without a trailing slash.
    public let baseURL: String
    /// The API in use: the Cloud API unless only `HETZNER_API_KEY` is set.
    public let api: API
    /// `HETZNER_TTL` when set; otherwise records get ``ChallengeRecord/ttl``.
    public let configuredTTL: Int?
    /// How long an action is followed before giving up.
    public let actionTimeout: Duration
    let token: String
    let http: ProviderHTTPClient
    let logger: Logger

    /// Reads the token and settings from `credentials`.
    /// - Throws: ``DNSProviderError/Kind/configuration`` when neither `HETZNER_API_TOKEN` nor
    ///   `HETZNER_API_KEY` is set, or the TTL is below Hetzner's minimum of 60.
    public init(credentials: DNSCredentials, context: DNSProviderContext = DNSProviderContext()) throws(DNSProviderError) {
        let provider = "hetzner"
        if let token = try credentials.value("HETZNER_API_TOKEN", provider: provider) {
            self.token = token
            self.api = .cloud
        } else if let key = try credentials.value("HETZNER_API_KEY", provider: provider) {
            self.token = key
            self.api = .dnsConsole
        } else {
            throw DNSProviderError(.configuration, provider: provider,
                "missing HETZNER_API_TOKEN (or HETZNER_API_TOKEN_FILE): a Hetzner Cloud API token (read & write) of the project holding the zone")
        }
        var base = try credentials.value("HETZNER_API_URL", provider: provider) ?? (api == .cloud ? Self.defaultBaseURL : Self.consoleBaseURL)
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.configuredTTL = try credentials.seconds("HETZNER_TTL", provider: provider)
        if let configuredTTL, configuredTTL < Self.minimumTTL {
            throw DNSProviderError(.configuration, provider: provider, "HETZNER_TTL must be at least \(Self.minimumTTL) seconds, not \(configuredTTL)")
        }
        self.logger = context.logger
        self.actionTimeout = .seconds(try credentials.seconds("HETZNER_PROPAGATION_TIMEOUT", provider: provider) ?? 60)
        let timeout = try credentials.seconds("HETZNER_HTTP_TIMEOUT", provider: provider) ?? 30
        self.http = ProviderHTTPClient(provider: provider, client: context.httpClient, timeout: .seconds(Int64(max(timeout, 1))))
    }

    /// `hetzner (https://api.hetzner.cloud/v1)`; never the token.
    public var description: String { "hetzner (\(baseURL))" }

    /// Adds `record.value` to the TXT RRSet at the record's name unless it is there already.
    public func present(_ record: ChallengeRecord) async throws {
        if api == .dnsConsole { return try await presentThroughDNSConsole(record) }
        if try await currentValues(record).contains(record.value) { return }
        let change = HetznerRecordsChange(ttl: ttl(for: record), records: [HetznerRecord(value: Self.quoted(record.value))])
        let response = try await call(.POST, rrsetPath(record) + "/actions/add_records", json: change)
        try await follow(try response.decode(HetznerActionResponse.self, provider: name).action)
    }

    /// Removes `record.value` from the TXT RRSet, if it is there.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        if api == .dnsConsole { return try await cleanUpThroughDNSConsole(record) }
        guard try await currentValues(record).contains(record.value) else { return }
        let change = HetznerRecordsChange(ttl: nil, records: [HetznerRecord(value: Self.quoted(record.value))])
        let response = try await call(.POST, rrsetPath(record) + "/actions/remove_records", json: change)
        try await follow(try response.decode(HetznerActionResponse.self, provider: name).action)
    }

    // MARK: - API calls

    /// The TTL `record` is written with: ``configuredTTL`` or the record's, at least ``minimumTTL``.
    public func ttl(for record: ChallengeRecord) -> Int {
        max(configuredTTL ?? record.ttl, Self.minimumTTL)
    }

    private func rrsetPath(_ record: ChallengeRecord) -> String {
        "/zones/\(record.zoneWithoutDot)/rrsets/\(record.relativeName)/TXT"
    }

    /// The values of the TXT RRSet, unquoted; empty when there is none (or no such zone: adding
    /// then says which).
    private func currentValues(_ record: ChallengeRecord) async throws(DNSProviderError) -> [String] {
        let response = try await http.send(.GET, baseURL + rrsetPath(record), headers: headers())
        if response.status == 404 { return [] }
        guard response.status == 200 else { throw failure(response) }
        return try response.decode(HetznerRRSetResponse.self, provider: name).rrset.records.map { Self.unquoted($0.value) }
    }

    private func call<Body: Encodable>(_ method: HTTPMethod, _ path: String, json: Body) async throws(DNSProviderError) -> ProviderHTTPClient.Response {
        let response = try await http.sendJSON(method, baseURL + path, headers: headers(), json: json)
        guard (200..<300).contains(response.status) else { throw failure(response) }
        return response
    }

    /// Polls the action until it is no longer running.
    private func follow(_ first: HetznerActionResponse.Action) async throws(DNSProviderError) {
        var action = first
        let deadline = ContinuousClock.now + actionTimeout
        var pause = Duration.milliseconds(100)
        while action.status == "running" {
            guard ContinuousClock.now < deadline else {
                throw DNSProviderError(.rejected, provider: name, "action \(action.id) still running after \(actionTimeout)")
            }
            do { try await Task.sleep(for: pause) } catch { throw DNSProviderError(.network, provider: name, "cancelled while waiting for action \(action.id)") }
            pause = min(pause * 2, .seconds(2))
            let response = try await http.send(.GET, "\(baseURL)/actions/\(action.id)", headers: headers())
            guard response.status == 200 else { throw failure(response) }
            action = try response.decode(HetznerActionResponse.self, provider: name).action
        }
        if action.status == "error" {
            let detail = [action.error?.code, action.error?.message].compactMap { $0 }.joined(separator: ": ")
            throw DNSProviderError(.rejected, provider: name, "action \(action.id) failed: \(detail.isEmpty ? "no reason given" : detail)")
        }
    }

    private func headers() -> HTTPHeaders {
        HTTPHeaders([("Authorization", "Bearer \(token)"), ("Accept", "application/json")])
    }

    /// Hetzner's `{"error": {"code", "message"}}` as an error; `rate_limit_exceeded` and the
    /// status decide the kind.
    private func failure(_ response: ProviderHTTPClient.Response) -> DNSProviderError {
        let body = try? JSONDecoder().decode(HetznerErrorBody.self, from: Data(response.body))
        let message = [body?.error.code, body?.error.message].compactMap { $0 }.joined(separator: ": ")
        var error = http.classify(response, message: message)
        switch body?.error.code {
        case "unauthorized": error.kind = .authentication
        case "forbidden", "token_readonly": error.kind = .permission
        case "rate_limit_exceeded": error.kind = .rateLimited
        default: break
        }
        return error
    }

    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func unquoted(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        return String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
    }
}
