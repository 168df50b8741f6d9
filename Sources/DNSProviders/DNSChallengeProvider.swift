import DNS

/// Publishes and removes the TXT records of DNS-01 challenges (`dnsChallenge.provider`).
///
/// One implementation per DNS service: `builtin` (Gatehouse's own authoritative server),
/// `rfc2136`, `exec`, `httpreq`, and the DNS services' HTTP APIs. Each is made from its
/// credentials by a ``DNSProviderKind`` in ``DNSProviderRegistry``.
///
/// Implementations throw ``DNSProviderError`` whose ``DNSProviderError/kind`` says what failed
/// (authentication, zone not found, permission …), so the pre-flight can report it. A provider
/// never puts a credential into an error, a log line or a description.
public protocol DNSChallengeProvider: Sendable {
    /// The provider's name in configuration (`builtin`, `cloudflare`, …).
    var name: String { get }

    /// Whether the provider needs ``ChallengeRecord/zone`` found by an SOA lookup before it is
    /// called. Providers that are handed only the record's name (`exec`, `httpreq`, `builtin`)
    /// say `false`, and are not held up by a zone that cannot be found from here.
    var needsZone: Bool { get }

    /// Whether a record is visible to the CA as soon as ``present(_:)`` returns, so no
    /// propagation check is needed (true for the built-in server).
    var isImmediatelyVisible: Bool { get }

    /// Servers to find this provider's zones at, instead of the configured resolvers; being
    /// authoritative, they are also where a propagation check of the authoritative servers
    /// asks. `rfc2136` gives its RFC2136_NAMESERVER, where lego finds the zone too (a zone
    /// served only there, such as an internal one, is found). Empty (the default): the
    /// configured resolvers find the zone and its NS records name the servers.
    var zoneServers: [DNSAddress] { get }

    /// Publishes `record.value` as a TXT record at `record.name`, alongside any value already
    /// there (an apex and its wildcard share one name).
    /// - Throws: ``DNSProviderError``.
    func present(_ record: ChallengeRecord) async throws

    /// Removes `record.value` from `record.name`, leaving other values there.
    /// - Throws: ``DNSProviderError``.
    func cleanUp(_ record: ChallengeRecord) async throws
}

extension DNSChallengeProvider {
    /// Most providers address records within their zone.
    public var needsZone: Bool { true }
    /// Most providers publish through a service that takes time to reach its servers.
    public var isImmediatelyVisible: Bool { false }
    /// Most providers' zones are found through the configured resolvers.
    public var zoneServers: [DNSAddress] { [] }
}
