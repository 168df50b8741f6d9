import DNS

/// Several DNS providers behind one resolver (`dnsChallenge.providers`): each record goes to
/// the provider whose suffix is the longest one its name ends with, the rest to the fallback
/// (`dnsChallenge.provider`). One certificate can so hold a name whose zone is on Cloudflare
/// and another whose zone is on Route 53.
///
/// Suffixes match whole labels: `example.com` takes `_acme-challenge.www.example.com` and
/// `_acme-challenge.example.com`, never `_acme-challenge.badexample.com`.
public struct DNSProviderRouter: DNSChallengeProvider {
    /// One provider and the names it takes.
    public struct Target: Sendable {
        /// The domain the provider answers for; `nil` for the fallback.
        public var suffix: DomainName?
        /// The provider.
        public var provider: any DNSChallengeProvider
        /// The TTL to publish its records with (lego's `<PREFIX>_TTL` of its credentials);
        /// `nil` leaves the record's own.
        public var ttl: Int?

        /// - Parameters: see the properties.
        public init(suffix: DomainName?, provider: any DNSChallengeProvider, ttl: Int? = nil) {
            self.suffix = suffix
            self.provider = provider
            self.ttl = ttl
        }
    }

    /// The suffixed targets, longest suffix first.
    public let routes: [Target]
    /// Takes the names no route matches; `nil` when every name must match a route.
    public let fallback: Target?

    /// - Parameters:
    ///   - routes: targets with a suffix (a target without one is ignored; give it as `fallback`).
    ///   - fallback: the provider for the names no route takes.
    public init(routes: [Target], fallback: Target?) {
        self.routes = routes.filter { $0.suffix != nil }
            .sorted { ($0.suffix?.labels.count ?? 0) > ($1.suffix?.labels.count ?? 0) }
        self.fallback = fallback
    }

    /// The target for `name`: the route with the longest matching suffix, else the fallback.
    /// - Throws: ``DNSProviderError/Kind/configuration`` when neither takes the name.
    public func target(for name: DomainName) throws(DNSProviderError) -> Target {
        if let route = routes.first(where: { name.isSubdomain(of: $0.suffix!) }) { return route }
        if let fallback { return fallback }
        let suffixes = routes.compactMap { $0.suffix.map { "\($0)" } }.joined(separator: ", ")
        throw DNSProviderError(.configuration, provider: "dnsChallenge.providers",
                               "no entry covers \(name) (suffixes: \(suffixes)) and dnsChallenge.provider is not set")
    }

    /// `router(example.com.=rfc2136, example.org.=exec, *=cloudflare)`.
    public var name: String {
        var parts = routes.map { "\($0.suffix!)=\($0.provider.name)" }
        if let fallback { parts.append("*=\(fallback.provider.name)") }
        return "router(\(parts.joined(separator: ", ")))"
    }

    /// Whether any provider needs the zone (callers that can ask ``target(for:)`` should ask the
    /// record's own provider).
    public var needsZone: Bool { allTargets.contains { $0.provider.needsZone } }

    /// Whether every provider's records are visible at once.
    public var isImmediatelyVisible: Bool { allTargets.allSatisfy { $0.provider.isImmediatelyVisible } }

    /// Publishes through the record's provider, with that provider's TTL.
    public func present(_ record: ChallengeRecord) async throws {
        let target = try target(for: record.name)
        try await target.provider.present(Self.adjusted(record, for: target))
    }

    /// Removes through the record's provider.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        let target = try target(for: record.name)
        try await target.provider.cleanUp(Self.adjusted(record, for: target))
    }

    /// `record` with the target's TTL when it has one.
    public static func adjusted(_ record: ChallengeRecord, for target: Target) -> ChallengeRecord {
        var record = record
        if let ttl = target.ttl { record.ttl = ttl }
        return record
    }

    private var allTargets: [Target] { routes + (fallback.map { [$0] } ?? []) }
}
