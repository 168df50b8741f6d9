/// What went wrong when a DNS provider published, removed or looked up a record.
///
/// ``kind`` is what the pre-flight (`gatehouse dns test`, `POST /api/v1/dns-credentials/{id}/test`)
/// reports; ``detail`` is the provider's own explanation (its error message or status), never
/// a credential.
public struct DNSProviderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of failure, as an operator acts on it.
    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// A credential is missing or malformed in the configuration (names the variable).
        case configuration
        /// The service refused the credential (bad token, bad TSIG key, bad signature).
        case authentication
        /// The credential is valid but may not change this zone or record.
        case permission
        /// No zone holding the name was found, at the SOA lookup or at the service.
        case zoneNotFound = "zone not found"
        /// The record was published but did not become visible in time.
        case propagation
        /// The service asked us to slow down.
        case rateLimited = "rate limited"
        /// The service could not be reached (connection refused, timeout, TLS).
        case network
        /// The service refused the change for another reason it gave.
        case rejected
        /// The service answered something that does not follow its documented contract.
        case invalidResponse = "invalid response"

        /// The raw value: `zone not found`, `authentication`, …
        public var description: String { rawValue }
    }

    /// The class of failure.
    public var kind: Kind
    /// The provider's name in configuration (`cloudflare`, `rfc2136`, …).
    public var provider: String
    /// What the service said or what was wrong, without secrets.
    public var detail: String
    /// The HTTP status or DNS response code the service answered with, when there was one.
    public var status: Int?

    /// - Parameters: see the properties.
    public init(_ kind: Kind, provider: String, _ detail: String, status: Int? = nil) {
        self.kind = kind
        self.provider = provider
        self.detail = detail
        self.status = status
    }

    /// `cloudflare: authentication failed: Invalid API Token (HTTP 403)`.
    public var description: String {
        let what: String = switch kind {
        case .configuration: "configuration error"
        case .authentication: "authentication failed"
        case .permission: "permission denied"
        case .zoneNotFound: "zone not found"
        case .propagation: "record not visible"
        case .rateLimited: "rate limited"
        case .network: "cannot reach the service"
        case .rejected: "change rejected"
        case .invalidResponse: "unexpected response"
        }
        let status = status.map { " (status \($0))" } ?? ""
        return "\(provider): \(what): \(detail)\(status)"
    }
}
