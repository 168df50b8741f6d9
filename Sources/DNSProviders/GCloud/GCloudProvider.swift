import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `dnsChallenge.provider: gcloud`: TXT records through Google Cloud DNS API v1, authenticated
/// as a service account (OAuth 2.0 JWT bearer grant, RS256).
///
/// Variables, as lego reads them: `GCE_SERVICE_ACCOUNT_FILE` (the account's JSON key file) or
/// `GCE_SERVICE_ACCOUNT` (its contents), `GCE_PROJECT` (default: the key's `project_id`),
/// `GCE_ALLOW_PRIVATE_ZONE` (default false), `GCE_TTL`, `GCE_PROPAGATION_TIMEOUT` (also bounds
/// the wait for a change to be `done`), `GCE_POLLING_INTERVAL`. `GCE_API_URL` overrides
/// `https://dns.googleapis.com/dns/v1` (Gatehouse extension, for tests and proxies; lego has
/// none). Application Default Credentials and the metadata server are not supported;
/// `GCE_IMPERSONATE_SERVICE_ACCOUNT` is refused as a configuration error. The token endpoint is
/// the key's `token_uri`.
///
/// Cloud DNS changes whole record sets: ``present(_:)`` replaces the TXT set at the name by one
/// with the value added (deletion of the old set and addition of the new in one change);
/// ``cleanUp(_:)`` replaces it by one without the value, or only deletes it. Each change is
/// polled until `done`.
public struct GCloudProvider: DNSChallengeProvider {
    /// The registry entry.
    public static let kind = DNSProviderKind(
        name: "gcloud",
        environmentPrefix: "GCE",
        variables: [
            .init("GCE_SERVICE_ACCOUNT_FILE", required: true, secret: true, "service account JSON key file (or GCE_SERVICE_ACCOUNT)"),
            .init("GCE_SERVICE_ACCOUNT", secret: true, "service account JSON key, inline"),
            .init("GCE_PROJECT", "project id (default: the key's project_id)"),
            .init("GCE_ALLOW_PRIVATE_ZONE", "allow private zones (default false)"),
            .init("GCE_API_URL", "Cloud DNS API base URL (default https://dns.googleapis.com/dns/v1; Gatehouse extension, for tests and proxies)"),
            .init("GCE_TTL", "TTL of the TXT record in seconds"),
            .init("GCE_PROPAGATION_TIMEOUT", "maximum wait for the change and propagation in seconds (default 180)"),
            .init("GCE_POLLING_INTERVAL", "longest pause between checks of a change in seconds (default 5)"),
        ],
        make: { (credentials: DNSCredentials, context: DNSProviderContext) throws(DNSProviderError) -> any DNSChallengeProvider in
            try GCloudProvider(credentials: credentials, context: context)
        }
    )

    /// `gcloud`.
    public var name: String { "gcloud" }
    /// The API base URL, without a trailing slash.
    public let baseURL: String
    /// The project whose zones are changed.
    public let project: String
    private let allowPrivateZones: Bool
    private let changeTimeout: Duration
    private let pollingInterval: Duration
    private let tokens: GCloudTokenSource
    private let http: ProviderHTTPClient
    private let logger: Logger
    private let serializer = RecordSetSerializer()

    /// Reads the credentials (see the type's documentation).
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming a missing or malformed variable.
    public init(credentials: DNSCredentials, context: DNSProviderContext) throws(DNSProviderError) {
        let provider = "gcloud"
        if try credentials.value("GCE_IMPERSONATE_SERVICE_ACCOUNT", provider: provider) != nil {
            throw DNSProviderError(.configuration, provider: provider, "GCE_IMPERSONATE_SERVICE_ACCOUNT is not supported: give the target account's own key as GCE_SERVICE_ACCOUNT_FILE")
        }
        guard let json = try credentials.value("GCE_SERVICE_ACCOUNT", provider: provider) else {
            throw DNSProviderError(.configuration, provider: provider, "missing GCE_SERVICE_ACCOUNT_FILE (a service account JSON key file) or GCE_SERVICE_ACCOUNT (its contents); application default credentials are not supported")
        }
        let account = try GCloudServiceAccount(json: json, provider: provider)
        guard let project = try credentials.value("GCE_PROJECT", provider: provider) ?? account.projectID else {
            throw DNSProviderError(.configuration, provider: provider, "missing GCE_PROJECT (the service account key has no project_id)")
        }
        self.project = project
        var base = try credentials.value("GCE_API_URL", provider: provider) ?? "https://dns.googleapis.com/dns/v1"
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw DNSProviderError(.configuration, provider: provider, "GCE_API_URL is not an http(s) URL: \"\(base)\"")
        }
        baseURL = base
        let allow = (try credentials.value("GCE_ALLOW_PRIVATE_ZONE", provider: provider) ?? "false").lowercased()
        guard ["true", "false", "1", "0"].contains(allow) else {
            throw DNSProviderError(.configuration, provider: provider, "GCE_ALLOW_PRIVATE_ZONE must be true or false")
        }
        allowPrivateZones = allow == "true" || allow == "1"
        changeTimeout = .seconds(try credentials.seconds("GCE_PROPAGATION_TIMEOUT", provider: provider) ?? 180)
        pollingInterval = .seconds(max(1, try credentials.seconds("GCE_POLLING_INTERVAL", provider: provider) ?? 5))
        http = ProviderHTTPClient(provider: provider, client: context.httpClient)
        tokens = try GCloudTokenSource(account: account, http: http)
        logger = context.logger
    }

    /// Replaces the TXT set at the name by one with the value added.
    public func present(_ record: ChallengeRecord) async throws {
        try await serializer.run {
            let zone = try await self.managedZone(record)
            let current = try await self.currentSet(zone: zone, record: record)
            let existing = current?.rrdatas.map(Self.unquoted) ?? []
            if existing.contains(record.value) { return }
            let set = GCloudRecordSet(name: record.fqdnWithoutDot + ".", type: "TXT", ttl: current?.ttl ?? record.ttl,
                                      rrdatas: (existing + [record.value]).map(Self.quoted))
            try await self.change(zone: zone, GCloudNewChange(additions: [set], deletions: current.map { [$0] } ?? []))
            self.logger.debug("gcloud: record set updated", metadata: ["record": "\(record.name)", "values": "\(set.rrdatas.count)"])
        }
    }

    /// Replaces the TXT set at the name by one without the value, or deletes it.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        try await serializer.run {
            let zone = try await self.managedZone(record)
            guard let current = try await self.currentSet(zone: zone, record: record) else { return }
            let existing = current.rrdatas.map(Self.unquoted)
            guard existing.contains(record.value) else { return }
            let remaining = existing.filter { $0 != record.value }
            let additions = remaining.isEmpty ? [] : [GCloudRecordSet(name: current.name, type: "TXT", ttl: current.ttl, rrdatas: remaining.map(Self.quoted))]
            try await self.change(zone: zone, GCloudNewChange(additions: additions, deletions: [current]))
        }
    }

    // MARK: - API calls

    private var projectURL: String { "\(baseURL)/projects/\(project)" }

    /// The managed zone's resource name for `record.zone`.
    private func managedZone(_ record: ChallengeRecord) async throws(DNSProviderError) -> String {
        let dnsName = record.zoneWithoutDot + "."
        var pageToken: String?
        var pages = 0
        repeat {
            let url = "\(projectURL)/managedZones?dnsName=\(dnsName)" + (pageToken.map { "&pageToken=\(Self.encode($0))" } ?? "")
            let list = try await get(url, as: GCloudZoneList.self)
            if let zone = list.managedZones?.first(where: { $0.dnsName.lowercased() == dnsName && (allowPrivateZones || $0.visibility != "private") }) {
                return zone.name
            }
            pageToken = list.nextPageToken
            pages += 1
        } while pageToken != nil && pages < 50
        throw DNSProviderError(.zoneNotFound, provider: name, "no \(allowPrivateZones ? "" : "public ")managed zone for \(dnsName) in project \(project)")
    }

    /// The TXT set at the record's name, or `nil`.
    private func currentSet(zone: String, record: ChallengeRecord) async throws(DNSProviderError) -> GCloudRecordSet? {
        let fqdn = record.fqdnWithoutDot + "."
        let list = try await get("\(projectURL)/managedZones/\(zone)/rrsets?name=\(fqdn)&type=TXT", as: GCloudRecordSetList.self)
        return list.rrsets?.first { $0.name.lowercased() == fqdn && $0.type == "TXT" }
    }

    /// Creates a change and polls it until `done`, at most `GCE_PROPAGATION_TIMEOUT`.
    private func change(zone: String, _ change: GCloudNewChange) async throws(DNSProviderError) {
        let url = "\(projectURL)/managedZones/\(zone)/changes"
        let response = try await http.sendJSON(.POST, url, headers: try await authorization(), json: change)
        guard (200..<300).contains(response.status) else { throw failure(response) }
        var state = try response.decode(GCloudChange.self, provider: name)
        let clock = ContinuousClock()
        let deadline = clock.now + changeTimeout
        var delay = Duration.milliseconds(250)
        while state.status != "done" {
            guard clock.now + delay < deadline else {
                throw DNSProviderError(.propagation, provider: name, "change \(state.id) still \(state.status ?? "without a status") after \(changeTimeout)")
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, pollingInterval)
            state = try await get("\(url)/\(state.id)", as: GCloudChange.self)
        }
    }

    private func get<T: Decodable>(_ url: String, as type: T.Type) async throws(DNSProviderError) -> T {
        let response = try await http.send(.GET, url, headers: try await authorization())
        guard (200..<300).contains(response.status) else { throw failure(response) }
        return try response.decode(T.self, provider: name)
    }

    private func authorization() async throws(DNSProviderError) -> HTTPHeaders {
        HTTPHeaders([("Authorization", "Bearer \(try await tokens.token())")])
    }

    /// Google's error body → kind: 401 authentication, 403 permission, 404 zone not found,
    /// 429 rate limited, 409 (`alreadyExists`) and 412 (`conditionNotMet`) rejected.
    private func failure(_ response: ProviderHTTPClient.Response) -> DNSProviderError {
        let body = try? JSONDecoder().decode(GCloudErrorBody.self, from: Data(response.body))
        let reason = body?.error?.errors?.compactMap(\.reason).first
        let detail = [body?.error?.status ?? reason, body?.error?.message].compactMap { $0 }.joined(separator: ": ")
        return http.classify(response, message: detail)
    }

    // MARK: - Values

    /// A TXT rrdata: the value in double quotes, `"` and `\` escaped.
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The text of an rrdata (`"a" "b"` → `ab`; unquoted data as it is).
    static func unquoted(_ rrdata: String) -> String {
        Route53Provider.txtText(rrdata)
    }

    private static func encode(_ text: String) -> String {
        SigV4Signer.encode(text)
    }
}
