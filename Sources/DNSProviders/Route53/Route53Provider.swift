import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `dnsChallenge.provider: route53`: TXT records through Amazon Route 53's REST API
/// (2013-04-01), signed with AWS Signature Version 4.
///
/// Credentials, as lego and the AWS SDK read them: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN` (temporary credentials), `AWS_REGION` (picks the partition: `cn-…` and
/// `us-gov-…` have their own Route 53 endpoints), `AWS_HOSTED_ZONE_ID` (skips the zone lookup),
/// `AWS_MAX_RETRIES` (retries of throttled or failing calls, default 5),
/// `AWS_WAIT_FOR_RECORD_SETS_CHANGED` (default true: wait until the change is `INSYNC`). The
/// endpoint is the AWS SDK's standard override `AWS_ENDPOINT_URL_ROUTE_53`, then
/// `AWS_ENDPOINT_URL`. Shared credentials files, profiles, instance roles and
/// `AWS_ASSUME_ROLE_ARN` are not supported; setting the latter is a configuration error.
///
/// Route 53 replaces whole record sets, so ``present(_:)`` reads the TXT set at the name and
/// UPSERTs it with the value added; ``cleanUp(_:)`` UPSERTs it without the value, or DELETEs
/// the set when the value was the last. Each change is followed by `GetChange` until `INSYNC`,
/// bounded by `AWS_PROPAGATION_TIMEOUT` (default 120 s).
public struct Route53Provider: DNSChallengeProvider {
    /// The registry entry.
    public static let kind = DNSProviderKind(
        name: "route53",
        environmentPrefix: "AWS",
        variables: [
            .init("AWS_ACCESS_KEY_ID", required: true, "access key id"),
            .init("AWS_SECRET_ACCESS_KEY", required: true, secret: true, "secret access key"),
            .init("AWS_SESSION_TOKEN", secret: true, "session token of temporary credentials"),
            .init("AWS_REGION", "region; chooses the partition (default aws, signing region us-east-1)"),
            .init("AWS_HOSTED_ZONE_ID", "hosted zone id; skips the zone lookup"),
            .init("AWS_MAX_RETRIES", "retries of a throttled or failing call (default 5)"),
            .init("AWS_WAIT_FOR_RECORD_SETS_CHANGED", "wait until changes are INSYNC (default true)"),
            .init("AWS_ENDPOINT_URL_ROUTE_53", aliases: ["AWS_ENDPOINT_URL"], "API endpoint (the AWS SDK's override; default https://route53.amazonaws.com)"),
            .init("AWS_TTL", "TTL of the TXT record in seconds"),
            .init("AWS_PROPAGATION_TIMEOUT", "maximum wait for INSYNC and propagation in seconds (default 120)"),
            .init("AWS_POLLING_INTERVAL", "longest pause between INSYNC checks in seconds (default 4)"),
        ],
        make: { (credentials: DNSCredentials, context: DNSProviderContext) throws(DNSProviderError) -> any DNSChallengeProvider in
            try Route53Provider(credentials: credentials, context: context)
        }
    )

    /// The API version in every path.
    static let apiVersion = "2013-04-01"
    /// The XML namespace of requests and answers.
    static let namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

    /// `route53`.
    public var name: String { "route53" }
    /// The API endpoint (`https://route53.amazonaws.com`), without a trailing slash.
    public let endpoint: String
    /// The hosted zone id from `AWS_HOSTED_ZONE_ID`, if set.
    public let hostedZoneID: String?
    private let signer: SigV4Signer
    private let maxRetries: Int
    private let waitForChanges: Bool
    private let changeTimeout: Duration
    private let pollingInterval: Duration
    private let http: ProviderHTTPClient
    private let logger: Logger
    private let serializer = RecordSetSerializer()

    /// Reads the credentials (see the type's documentation).
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming a missing or malformed variable.
    public init(credentials: DNSCredentials, context: DNSProviderContext) throws(DNSProviderError) {
        let provider = "route53"
        if try credentials.value("AWS_ASSUME_ROLE_ARN", provider: provider) != nil {
            throw DNSProviderError(.configuration, provider: provider, "AWS_ASSUME_ROLE_ARN is not supported: give the role's temporary credentials as AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN")
        }
        let keyID = try credentials.required("AWS_ACCESS_KEY_ID", provider: provider)
        let secret = try credentials.required("AWS_SECRET_ACCESS_KEY", provider: provider)
        let token = try credentials.value("AWS_SESSION_TOKEN", provider: provider)
        let region = try credentials.value("AWS_REGION", provider: provider) ?? "us-east-1"
        let (defaultEndpoint, signingRegion) =
            region.hasPrefix("cn-") ? ("https://route53.amazonaws.com.cn", "cn-northwest-1")
            : region.hasPrefix("us-gov-") ? ("https://route53.us-gov.amazonaws.com", "us-gov-west-1")
            : ("https://route53.amazonaws.com", "us-east-1")
        var endpoint = try credentials.value(anyOf: ["AWS_ENDPOINT_URL_ROUTE_53", "AWS_ENDPOINT_URL"], provider: provider) ?? defaultEndpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        guard let url = URL(string: endpoint), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw DNSProviderError(.configuration, provider: provider, "AWS_ENDPOINT_URL_ROUTE_53 / AWS_ENDPOINT_URL is not an http(s) URL: \"\(endpoint)\"")
        }
        self.endpoint = endpoint
        self.signer = SigV4Signer(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, region: signingRegion, service: "route53")
        self.hostedZoneID = try credentials.value("AWS_HOSTED_ZONE_ID", provider: provider).map(Self.bareID)
        guard let retries = Int(try credentials.value("AWS_MAX_RETRIES", provider: provider) ?? "5"), retries >= 0 else {
            throw DNSProviderError(.configuration, provider: provider, "AWS_MAX_RETRIES must be a whole number")
        }
        self.maxRetries = retries
        let wait = (try credentials.value("AWS_WAIT_FOR_RECORD_SETS_CHANGED", provider: provider) ?? "true").lowercased()
        guard ["true", "false", "1", "0"].contains(wait) else {
            throw DNSProviderError(.configuration, provider: provider, "AWS_WAIT_FOR_RECORD_SETS_CHANGED must be true or false")
        }
        self.waitForChanges = wait == "true" || wait == "1"
        self.changeTimeout = .seconds(try credentials.seconds("AWS_PROPAGATION_TIMEOUT", provider: provider) ?? 120)
        self.pollingInterval = .seconds(max(1, try credentials.seconds("AWS_POLLING_INTERVAL", provider: provider) ?? 4))
        self.http = ProviderHTTPClient(provider: provider, client: context.httpClient)
        self.logger = context.logger
    }

    /// Adds the value to the TXT set at the name (creating the set), then waits for `INSYNC`.
    public func present(_ record: ChallengeRecord) async throws {
        try await serializer.run {
            let zone = try await self.zoneID(record)
            let current = try await self.currentSet(zone: zone, record: record)
            if let current, current.values.contains(record.value) { return }
            let values = (current?.values ?? []) + [record.value]
            let change = try await self.change(zone: zone, action: "UPSERT", record: record, values: values, ttl: record.ttl)
            try await self.waitInSync(change)
            self.logger.debug("route53: record set updated", metadata: ["record": "\(record.name)", "values": "\(values.count)"])
        }
    }

    /// Removes the value from the TXT set at the name, deleting the set with its last value.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        try await serializer.run {
            let zone = try await self.zoneID(record)
            guard let current = try await self.currentSet(zone: zone, record: record), current.values.contains(record.value) else { return }
            let remaining = current.values.filter { $0 != record.value }
            let change = remaining.isEmpty
                ? try await self.change(zone: zone, action: "DELETE", record: record, values: current.values, ttl: current.ttl)
                : try await self.change(zone: zone, action: "UPSERT", record: record, values: remaining, ttl: current.ttl)
            try await self.waitInSync(change)
        }
    }

    // MARK: - API calls

    /// The hosted zone id: `AWS_HOSTED_ZONE_ID`, or the public zone named `record.zone`.
    private func zoneID(_ record: ChallengeRecord) async throws(DNSProviderError) -> String {
        if let hostedZoneID { return hostedZoneID }
        let wanted = record.zoneWithoutDot + "."
        let answer = try await call(.GET, "/\(Self.apiVersion)/hostedzonesbyname", query: [("dnsname", wanted), ("maxitems", "100")])
        for zone in Route53XML.elements("HostedZone", in: answer[...]) {
            guard let name = Route53XML.text("Name", in: zone), let id = Route53XML.text("Id", in: zone) else { continue }
            let isPrivate = Route53XML.text("PrivateZone", in: zone) == "true"
            if name.lowercased() == wanted, !isPrivate { return Self.bareID(id) }
        }
        throw DNSProviderError(.zoneNotFound, provider: name, "no public hosted zone named \(wanted) (set AWS_HOSTED_ZONE_ID to choose one)")
    }

    /// The TXT set at the record's name, or `nil` when there is none.
    private func currentSet(zone: String, record: ChallengeRecord) async throws(DNSProviderError) -> (values: [String], ttl: Int)? {
        let fqdn = record.fqdnWithoutDot + "."
        let answer = try await call(.GET, "/\(Self.apiVersion)/hostedzone/\(zone)/rrset", query: [("name", fqdn), ("type", "TXT"), ("maxitems", "1")])
        for set in Route53XML.elements("ResourceRecordSet", in: answer[...]) {
            guard Route53XML.text("Name", in: set)?.lowercased() == fqdn, Route53XML.text("Type", in: set) == "TXT" else { continue }
            let values = Route53XML.elements("Value", in: set).map { Self.txtText(Route53XML.unescape(String($0))) }
            return (values, Int(Route53XML.text("TTL", in: set) ?? "") ?? record.ttl)
        }
        return nil
    }

    /// Sends one change of the whole TXT set; returns the change id.
    private func change(zone: String, action: String, record: ChallengeRecord, values: [String], ttl: Int) async throws(DNSProviderError) -> String {
        let records = values.map { "<ResourceRecord><Value>\(Route53XML.escape(Self.quoted($0)))</Value></ResourceRecord>" }.joined()
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ChangeResourceRecordSetsRequest xmlns="\(Self.namespace)"><ChangeBatch><Comment>Gatehouse ACME DNS-01</Comment>\
            <Changes><Change><Action>\(action)</Action><ResourceRecordSet><Name>\(Route53XML.escape(record.fqdnWithoutDot)).</Name>\
            <Type>TXT</Type><TTL>\(ttl)</TTL><ResourceRecords>\(records)</ResourceRecords></ResourceRecordSet></Change></Changes>\
            </ChangeBatch></ChangeResourceRecordSetsRequest>
            """
        let answer = try await call(.POST, "/\(Self.apiVersion)/hostedzone/\(zone)/rrset", body: Array(body.utf8))
        guard let id = Route53XML.text("Id", in: answer[...]) else {
            throw DNSProviderError(.invalidResponse, provider: name, "ChangeResourceRecordSets answered without a ChangeInfo Id")
        }
        return Self.bareID(id)
    }

    /// Polls `GetChange` until `INSYNC`, at most `AWS_PROPAGATION_TIMEOUT`.
    private func waitInSync(_ change: String) async throws(DNSProviderError) {
        guard waitForChanges else { return }
        let clock = ContinuousClock()
        let deadline = clock.now + changeTimeout
        var delay = Duration.milliseconds(250)
        while true {
            let answer = try await call(.GET, "/\(Self.apiVersion)/change/\(change)")
            let status = Route53XML.text("Status", in: answer[...])
            if status == "INSYNC" { return }
            guard clock.now + delay < deadline else {
                throw DNSProviderError(.propagation, provider: name, "change \(change) still \(status ?? "without a status") after \(changeTimeout)")
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, pollingInterval)
        }
    }

    /// Sends a signed request, retrying throttling and server failures up to `AWS_MAX_RETRIES`
    /// times; returns the body of a successful answer.
    private func call(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8] = []) async throws(DNSProviderError) -> String {
        let url = URL(string: endpoint)!
        let prefix = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        let defaultPort = url.scheme == "https" ? 443 : 80
        let name = url.host!.contains(":") ? "[\(url.host!)]" : url.host!
        let host = url.port.map { $0 == defaultPort ? name : "\(name):\($0)" } ?? name
        var attempt = 0
        while true {
            var headers = [("Host", host)]
            if !body.isEmpty { headers.append(("Content-Type", "application/xml")) }
            let request = SigV4Signer.Request(method: method.rawValue, path: prefix + path, query: query, headers: headers, body: body)
            let signed = headers + signer.sign(request, at: Date())
            let query = request.encodedQuery
            let target = "\(url.scheme!)://\(host)\(request.encodedPath)" + (query.isEmpty ? "" : "?\(query)")
            let response = try await http.send(method, target, headers: HTTPHeaders(signed), body: body.isEmpty ? nil : body)
            if (200..<300).contains(response.status) { return response.text }
            let error = failure(response)
            guard attempt < maxRetries, error.kind == .rateLimited || response.status >= 500 else { throw error }
            attempt += 1
            try? await Task.sleep(for: .milliseconds(min(200 << attempt, 5000)))
        }
    }

    /// The kind of an AWS error answer: `<ErrorResponse><Error><Code>…</Code><Message>…`, or
    /// Route 53's `<InvalidChangeBatch><Messages><Message>…`.
    private func failure(_ response: ProviderHTTPClient.Response) -> DNSProviderError {
        let document = response.text[...]
        let code = Route53XML.text("Code", in: document) ?? (document.contains("<InvalidChangeBatch") ? "InvalidChangeBatch" : nil)
        let messages = Route53XML.elements("Message", in: document).map { Route53XML.unescape(String($0)) }
        let detail = ([code].compactMap { $0 } + messages).joined(separator: ": ")
        let kind: DNSProviderError.Kind? = switch code {
        case "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken",
             "UnrecognizedClientException", "ExpiredToken", "InvalidSignatureException", "AuthFailure":
            .authentication
        case "AccessDenied", "AccessDeniedException", "NotAuthorized":
            .permission
        case "NoSuchHostedZone", "HostedZoneNotFound":
            .zoneNotFound
        case "Throttling", "ThrottlingException", "PriorRequestNotComplete", "RequestLimitExceeded", "TooManyRequestsException":
            .rateLimited
        case "InvalidChangeBatch", "InvalidInput", "NoSuchChange":
            .rejected
        default:
            nil
        }
        if let kind { return DNSProviderError(kind, provider: name, detail, status: response.status) }
        return http.classify(response, message: detail)
    }

    // MARK: - Values

    /// `Z123` from `/hostedzone/Z123`, `C45` from `/change/C45`.
    static func bareID(_ id: String) -> String {
        String(id.split(separator: "/").last ?? Substring(id))
    }

    /// A TXT value as Route 53 takes it: in double quotes, `"` and `\` escaped.
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The text of a TXT value as Route 53 shows it (`"part one" "part two"` → `part onepart two`).
    static func txtText(_ value: String) -> String {
        guard value.hasPrefix("\"") else { return value }
        var out = "", inside = false, escaped = false
        for character in value {
            if escaped { out.append(character); escaped = false; continue }
            switch character {
            case "\\" where inside: escaped = true
            case "\"": inside.toggle()
            default: if inside { out.append(character) }
            }
        }
        return out
    }
}
