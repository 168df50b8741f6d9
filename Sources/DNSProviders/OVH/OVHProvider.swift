import Foundation
import NIOHTTP1

/// `ovh`: the OVHcloud API's DNS zones (`/domain/zone/{zone}/record`).
///
/// Authentication, as lego reads it (one of):
/// - application key: `OVH_APPLICATION_KEY`, `OVH_APPLICATION_SECRET`, `OVH_CONSUMER_KEY`; each
///   request is signed (``OVHRequestSigner``) with the server's time, read from `GET /auth/time`;
/// - `OVH_ACCESS_TOKEN`, sent as `Authorization: Bearer`;
/// - OAuth2 client credentials: `OVH_CLIENT_ID`, `OVH_CLIENT_SECRET`, exchanged for a token at
///   the endpoint's OAuth2 token URL before each operation.
///
/// `OVH_ENDPOINT` is lego's: `ovh-eu`, `ovh-ca`, `ovh-us`, `kimsufi-eu`, `kimsufi-ca`,
/// `soyoustart-eu`, `soyoustart-ca`, or the API's URL (`https://eu.api.ovh.com/1.0`); a URL is
/// also how tests and proxies point it elsewhere. Records are created, then the zone is
/// refreshed (`POST /domain/zone/{zone}/refresh`), which is when OVH publishes them.
/// Other variables: `OVH_TTL` (unset: the record's TTL, 120 by default), `OVH_HTTP_TIMEOUT` (default 180),
/// `OVH_PROPAGATION_TIMEOUT`, `OVH_POLLING_INTERVAL`.
public struct OVHProvider: DNSChallengeProvider, CustomStringConvertible {
    /// The provider as ``DNSProviderRegistry`` lists it.
    public static let kind = DNSProviderKind(
        name: "ovh",
        environmentPrefix: "OVH",
        variables: [
            .init("OVH_ENDPOINT", required: true, "ovh-eu, ovh-ca, ovh-us, kimsufi-eu, kimsufi-ca, soyoustart-eu, soyoustart-ca, or the API's URL"),
            .init("OVH_APPLICATION_KEY", "Application key (application key authentication)"),
            .init("OVH_APPLICATION_SECRET", secret: true, "Application secret (application key authentication)"),
            .init("OVH_CONSUMER_KEY", secret: true, "Consumer key (application key authentication)"),
            .init("OVH_ACCESS_TOKEN", secret: true, "Access token"),
            .init("OVH_CLIENT_ID", "Client ID (OAuth2)"),
            .init("OVH_CLIENT_SECRET", secret: true, "Client secret (OAuth2)"),
            .init("OVH_TTL", "TTL of the TXT record in seconds (default: the record's, 120)"),
            .init("OVH_HTTP_TIMEOUT", "API request timeout in seconds (default 180)"),
        ] + DNSProviderKind.Variable.propagation("OVH"),
        make: { credentials, context throws(DNSProviderError) in
            try OVHProvider(credentials: credentials, context: context)
        }
    )

    /// The API URLs of the endpoint names lego accepts in `OVH_ENDPOINT`.
    public static let endpoints: [String: String] = [
        "ovh-eu": "https://eu.api.ovh.com/1.0",
        "ovh-ca": "https://ca.api.ovh.com/1.0",
        "ovh-us": "https://api.us.ovhcloud.com/1.0",
        "kimsufi-eu": "https://eu.api.kimsufi.com/1.0",
        "kimsufi-ca": "https://ca.api.kimsufi.com/1.0",
        "soyoustart-eu": "https://eu.api.soyoustart.com/1.0",
        "soyoustart-ca": "https://ca.api.soyoustart.com/1.0",
    ]

    /// The OAuth2 token URLs of the endpoint names (client credentials grant).
    public static let tokenURLs: [String: String] = [
        "ovh-eu": "https://www.ovh.com/auth/oauth2/token",
        "ovh-ca": "https://ca.ovh.com/auth/oauth2/token",
        "ovh-us": "https://us.ovhcloud.com/auth/oauth2/token",
    ]

    /// How requests are authenticated.
    enum Authentication: Sendable {
        case signature(OVHRequestSigner)
        case accessToken(String)
        case clientCredentials(id: String, secret: String, tokenURL: String)
    }

    /// `ovh`.
    public var name: String { "ovh" }
    /// The API's base URL (`https://eu.api.ovh.com/1.0`), without a trailing slash.
    public let baseURL: String
    /// `OVH_TTL` when set; otherwise records get ``ChallengeRecord/ttl``.
    public let configuredTTL: Int?
    let authentication: Authentication
    private let http: ProviderHTTPClient

    /// Reads the endpoint, one of the credential sets and the settings from `credentials`.
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming what is missing or unknown.
    public init(credentials: DNSCredentials, context: DNSProviderContext = DNSProviderContext()) throws(DNSProviderError) {
        let provider = "ovh"
        let endpoint = try credentials.required("OVH_ENDPOINT", provider: provider)
        var base: String
        if let known = Self.endpoints[endpoint.lowercased()] {
            base = known
        } else if endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://") {
            base = endpoint
        } else {
            throw DNSProviderError(.configuration, provider: provider,
                "OVH_ENDPOINT \"\(endpoint)\" is neither one of \(Self.endpoints.keys.sorted().joined(separator: ", ")) nor a URL")
        }
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base

        let applicationKey = try credentials.value("OVH_APPLICATION_KEY", provider: provider)
        let applicationSecret = try credentials.value("OVH_APPLICATION_SECRET", provider: provider)
        let consumerKey = try credentials.value("OVH_CONSUMER_KEY", provider: provider)
        let clientID = try credentials.value("OVH_CLIENT_ID", provider: provider)
        let clientSecret = try credentials.value("OVH_CLIENT_SECRET", provider: provider)
        if applicationKey != nil || applicationSecret != nil || consumerKey != nil {
            if clientID != nil || clientSecret != nil {
                throw DNSProviderError(.configuration, provider: provider,
                    "set either OVH_APPLICATION_KEY/OVH_APPLICATION_SECRET/OVH_CONSUMER_KEY or OVH_CLIENT_ID/OVH_CLIENT_SECRET, not both")
            }
            let missing = [("OVH_APPLICATION_KEY", applicationKey), ("OVH_APPLICATION_SECRET", applicationSecret), ("OVH_CONSUMER_KEY", consumerKey)]
                .filter { $0.1 == nil }.map(\.0)
            guard let applicationKey, let applicationSecret, let consumerKey else {
                throw DNSProviderError(.configuration, provider: provider,
                    "missing \(missing.joined(separator: " and ")) (application key authentication needs OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET and OVH_CONSUMER_KEY)")
            }
            authentication = .signature(OVHRequestSigner(applicationKey: applicationKey, applicationSecret: applicationSecret, consumerKey: consumerKey))
        } else if let token = try credentials.value("OVH_ACCESS_TOKEN", provider: provider) {
            authentication = .accessToken(token)
        } else if clientID != nil || clientSecret != nil {
            guard let clientID, let clientSecret else {
                throw DNSProviderError(.configuration, provider: provider,
                    "missing \(clientID == nil ? "OVH_CLIENT_ID" : "OVH_CLIENT_SECRET") (OAuth2 needs OVH_CLIENT_ID and OVH_CLIENT_SECRET)")
            }
            let tokenURL: String
            if let known = Self.tokenURLs[endpoint.lowercased()] {
                tokenURL = known
            } else if Self.endpoints[endpoint.lowercased()] == nil {
                // An API URL: its host's /auth/oauth2/token, the path OVH serves the grant at.
                tokenURL = Self.origin(of: base) + "/auth/oauth2/token"
            } else {
                throw DNSProviderError(.configuration, provider: provider, "OAuth2 is not offered on OVH_ENDPOINT \(endpoint); use an application key")
            }
            authentication = .clientCredentials(id: clientID, secret: clientSecret, tokenURL: tokenURL)
        } else {
            throw DNSProviderError(.configuration, provider: provider,
                "missing credentials: set OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET and OVH_CONSUMER_KEY, or OVH_ACCESS_TOKEN, or OVH_CLIENT_ID and OVH_CLIENT_SECRET (each may be given as <NAME>_FILE)")
        }
        self.configuredTTL = try credentials.seconds("OVH_TTL", provider: provider)
        let timeout = try credentials.seconds("OVH_HTTP_TIMEOUT", provider: provider) ?? 180
        self.http = ProviderHTTPClient(provider: provider, client: context.httpClient, timeout: .seconds(Int64(max(timeout, 1))))
    }

    /// `ovh (https://eu.api.ovh.com/1.0)`; never a credential.
    public var description: String { "ovh (\(baseURL))" }

    /// Creates a TXT record holding `record.value` unless one already does, then refreshes the zone.
    public func present(_ record: ChallengeRecord) async throws {
        let session = try await openSession()
        let zone = record.zoneWithoutDot
        let subDomain = Self.subDomain(record)
        if try await matchingRecordIDs(record, session: session).isEmpty == false { return }
        let created = try await call(.POST, "/domain/zone/\(zone)/record", json: OVHRecord(fieldType: "TXT", subDomain: subDomain, target: record.value, ttl: configuredTTL ?? record.ttl), session: session)
        _ = try created.decode(OVHRecord.self, provider: name)
        _ = try await call(.POST, "/domain/zone/\(zone)/refresh", session: session)
    }

    /// Deletes the TXT records at the record's name that hold `record.value`, then refreshes.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        let session = try await openSession()
        let zone = record.zoneWithoutDot
        let ids = try await matchingRecordIDs(record, session: session)
        guard !ids.isEmpty else { return }
        for id in ids {
            _ = try await call(.DELETE, "/domain/zone/\(zone)/record/\(id)", session: session)
        }
        _ = try await call(.POST, "/domain/zone/\(zone)/refresh", session: session)
    }

    // MARK: - API calls

    /// What one operation needs: the server's clock offset, or a bearer token.
    struct Session: Sendable {
        var timeDelta: Int = 0
        var bearer: String?
    }

    private func openSession() async throws(DNSProviderError) -> Session {
        switch authentication {
        case .signature:
            let response = try await http.send(.GET, baseURL + "/auth/time", headers: ["Accept": "application/json"])
            guard response.status == 200 else { throw failure(response) }
            guard let serverTime = Int(response.text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw DNSProviderError(.invalidResponse, provider: name, "GET /auth/time did not answer a Unix time", status: response.status)
            }
            return Session(timeDelta: serverTime - Int(Date().timeIntervalSince1970))
        case .accessToken(let token):
            return Session(bearer: token)
        case .clientCredentials(let id, let secret, let tokenURL):
            let form = "grant_type=client_credentials&client_id=\(Self.formEncoded(id))&client_secret=\(Self.formEncoded(secret))&scope=all"
            let response = try await http.send(.POST, tokenURL, headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"], body: Array(form.utf8))
            guard response.status == 200 else {
                var error = failure(response)
                if response.status == 400 || response.status == 401 { error.kind = .authentication }
                throw error
            }
            return Session(bearer: try response.decode(OVHAccessToken.self, provider: name).accessToken)
        }
    }

    /// The ids of the TXT records at the record's name whose target is `record.value`.
    private func matchingRecordIDs(_ record: ChallengeRecord, session: Session) async throws(DNSProviderError) -> [Int] {
        let zone = record.zoneWithoutDot
        let query = "fieldType=TXT&subDomain=\(Self.formEncoded(Self.subDomain(record)))"
        let ids = try await call(.GET, "/domain/zone/\(zone)/record?\(query)", session: session).decode([Int].self, provider: name)
        var matching: [Int] = []
        for id in ids {
            let existing = try await call(.GET, "/domain/zone/\(zone)/record/\(id)", session: session).decode(OVHRecord.self, provider: name)
            if Self.unquoted(existing.target) == record.value { matching.append(id) }
        }
        return matching
    }

    private func call(_ method: HTTPMethod, _ path: String, session: Session) async throws(DNSProviderError) -> ProviderHTTPClient.Response {
        try await call(method, path, body: nil, session: session)
    }

    private func call<Body: Encodable>(_ method: HTTPMethod, _ path: String, json: Body, session: Session) async throws(DNSProviderError) -> ProviderHTTPClient.Response {
        let data: Data
        do {
            data = try JSONEncoder().encode(json)
        } catch {
            throw DNSProviderError(.configuration, provider: name, "cannot encode the request: \(error)")
        }
        return try await call(method, path, body: Array(data), session: session)
    }

    /// Sends one request, signed with the exact URL and body bytes that go on the wire.
    private func call(_ method: HTTPMethod, _ path: String, body: [UInt8]?, session: Session) async throws(DNSProviderError) -> ProviderHTTPClient.Response {
        let url = baseURL + path
        var headers = HTTPHeaders([("Accept", "application/json")])
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        switch authentication {
        case .signature(let signer):
            let timestamp = Int(Date().timeIntervalSince1970) + session.timeDelta
            let text = body.map { String(decoding: $0, as: UTF8.self) } ?? ""
            headers.add(contentsOf: signer.headers(method: method.rawValue, url: url, body: text, timestamp: timestamp))
        case .accessToken, .clientCredentials:
            headers.add(name: "Authorization", value: "Bearer \(session.bearer ?? "")")
        }
        let response = try await http.send(method, url, headers: headers, body: body)
        guard (200..<300).contains(response.status) else { throw failure(response) }
        return response
    }

    /// OVH's error codes to kinds: a bad key, secret (so a bad signature) or consumer key is an
    /// authentication failure; an ungranted call a permission one; a missing zone (404) a zone
    /// not found.
    private func failure(_ response: ProviderHTTPClient.Response) -> DNSProviderError {
        let body = try? JSONDecoder().decode(OVHErrorBody.self, from: Data(response.body))
        let code = body?.errorCode ?? ""
        var message = body?.message ?? ""
        if !code.isEmpty { message = message.isEmpty ? code : "\(message) (\(code))" }
        var error = http.classify(response, message: message)
        switch code {
        case "INVALID_SIGNATURE", "INVALID_KEY", "INVALID_CREDENTIAL", "INVALID_TOKEN", "EXPIRED_CREDENTIAL": error.kind = .authentication
        case "NOT_GRANTED_CALL", "NOT_CREDENTIAL", "FORBIDDEN": error.kind = .permission
        default: break
        }
        return error
    }

    /// The record's name within the zone, `""` at the apex (OVH's convention).
    static func subDomain(_ record: ChallengeRecord) -> String {
        let relative = record.relativeName
        return relative == "@" ? "" : relative
    }

    static func unquoted(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        return String(value.dropFirst().dropLast())
    }

    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func origin(of url: String) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return url }
        return "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
    }
}
