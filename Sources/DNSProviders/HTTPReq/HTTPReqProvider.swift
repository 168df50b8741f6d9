import Foundation
import NIOHTTP1

/// `httpreq`: a generic webhook, lego's contract. `POST {HTTPREQ_ENDPOINT}/present` and
/// `POST {HTTPREQ_ENDPOINT}/cleanup` with `{"fqdn": "_acme-challenge.example.com.", "value": "…"}`
/// (`Content-Type: application/json`), with HTTP Basic authentication when `HTTPREQ_USERNAME`
/// and `HTTPREQ_PASSWORD` are set. Any 2xx answer is success; 401 is an authentication failure,
/// 403 a permission one, 404 "zone not found" (the webhook knows no zone for the name), and the
/// answer's body is the error's detail.
///
/// lego's `HTTPREQ_MODE=RAW` sends the ACME domain, token and key authorization instead. A
/// DNS provider here is handed only the TXT record (its name and value, the key
/// authorization's digest), so RAW cannot be served and is refused at configuration.
///
/// The webhook is given the full name, so no zone lookup is needed (``needsZone`` is false).
/// Variables (lego's): `HTTPREQ_ENDPOINT`, `HTTPREQ_MODE`, `HTTPREQ_USERNAME`,
/// `HTTPREQ_PASSWORD`, `HTTPREQ_HTTP_TIMEOUT` (default 30), `HTTPREQ_PROPAGATION_TIMEOUT`,
/// `HTTPREQ_POLLING_INTERVAL`.
public struct HTTPReqProvider: DNSChallengeProvider, CustomStringConvertible {
    /// The provider as ``DNSProviderRegistry`` lists it.
    public static let kind = DNSProviderKind(
        name: "httpreq",
        environmentPrefix: "HTTPREQ",
        variables: [
            .init("HTTPREQ_ENDPOINT", required: true, "The webhook's URL; /present and /cleanup are appended"),
            .init("HTTPREQ_MODE", "RAW is refused (Gatehouse hands providers the record, not the token and key authorization); anything else is lego's default mode"),
            .init("HTTPREQ_USERNAME", "Basic authentication user name"),
            .init("HTTPREQ_PASSWORD", secret: true, "Basic authentication password"),
            .init("HTTPREQ_HTTP_TIMEOUT", "API request timeout in seconds (default 30)"),
        ] + DNSProviderKind.Variable.propagation("HTTPREQ"),
        make: { credentials, context throws(DNSProviderError) in
            try HTTPReqProvider(credentials: credentials, context: context)
        }
    )

    /// `httpreq`.
    public var name: String { "httpreq" }
    /// The webhook is given the record's full name.
    public var needsZone: Bool { false }
    /// The webhook's base URL, without a trailing slash.
    public let endpoint: String
    private let authorization: String?
    private let http: ProviderHTTPClient

    /// Reads the endpoint, mode and Basic credentials from `credentials`.
    /// - Throws: ``DNSProviderError/Kind/configuration`` when `HTTPREQ_ENDPOINT` is missing or
    ///   not an http(s) URL, for `HTTPREQ_MODE=RAW`, or when only one of user name and password
    ///   is set.
    public init(credentials: DNSCredentials, context: DNSProviderContext = DNSProviderContext()) throws(DNSProviderError) {
        let provider = "httpreq"
        var endpoint = try credentials.required("HTTPREQ_ENDPOINT", provider: provider)
        guard let url = URL(string: endpoint), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw DNSProviderError(.configuration, provider: provider, "HTTPREQ_ENDPOINT must be an http:// or https:// URL")
        }
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        if let mode = try credentials.value("HTTPREQ_MODE", provider: provider), mode == "RAW" {
            throw DNSProviderError(.configuration, provider: provider,
                "HTTPREQ_MODE=RAW sends the ACME domain, token and key authorization, but a DNS provider is handed only the TXT record's name and value; RAW cannot be served. Unset HTTPREQ_MODE to send {\"fqdn\", \"value\"} (lego's default mode)")
        }
        let username = try credentials.value("HTTPREQ_USERNAME", provider: provider)
        let password = try credentials.value("HTTPREQ_PASSWORD", provider: provider)
        switch (username, password) {
        case let (username?, password?):
            self.authorization = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        case (nil, nil):
            self.authorization = nil
        case (nil, _):
            throw DNSProviderError(.configuration, provider: provider, "HTTPREQ_PASSWORD is set but HTTPREQ_USERNAME is missing")
        case (_, nil):
            throw DNSProviderError(.configuration, provider: provider, "HTTPREQ_USERNAME is set but HTTPREQ_PASSWORD is missing")
        }
        let timeout = try credentials.seconds("HTTPREQ_HTTP_TIMEOUT", provider: provider) ?? 30
        self.http = ProviderHTTPClient(provider: provider, client: context.httpClient, timeout: .seconds(Int64(max(timeout, 1))))
    }

    /// `httpreq (https://hook.example/acme)`; never the password.
    public var description: String { "httpreq (\(Self.withoutUserInfo(endpoint)))" }

    /// `POST {endpoint}/present {"fqdn", "value"}`.
    public func present(_ record: ChallengeRecord) async throws {
        try await post("present", record)
    }

    /// `POST {endpoint}/cleanup {"fqdn", "value"}`.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        try await post("cleanup", record)
    }

    /// lego's default-mode body.
    struct Message: Codable, Sendable, Equatable {
        var fqdn: String
        var value: String
    }

    private func post(_ action: String, _ record: ChallengeRecord) async throws(DNSProviderError) {
        var headers = HTTPHeaders([("Accept", "application/json")])
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        let body = Message(fqdn: record.fqdnWithoutDot + ".", value: record.value)
        let response = try await http.sendJSON(.POST, "\(endpoint)/\(action)", headers: headers, json: body)
        guard (200..<300).contains(response.status) else {
            let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw http.classify(response, message: "\(action): " + (text.isEmpty ? "HTTP \(response.status)" : String(text.prefix(500))))
        }
    }

    private static func withoutUserInfo(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else { return url }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }
}
