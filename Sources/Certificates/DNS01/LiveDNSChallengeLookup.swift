import DNS

/// ``DNSChallengeLookup`` over the network: SOA and NS lookups through the given resolvers
/// (``DNS/ZoneFinder``), TXT lookups at a server (``DNS/DNSTXTLookup``).
public struct LiveDNSChallengeLookup: DNSChallengeLookup {
    private let txt: DNSTXTLookup

    /// - Parameter txtLookup: asks for TXT values; its configuration sets each query's timeout
    ///   and attempts.
    public init(txtLookup: DNSTXTLookup = DNSTXTLookup(configuration: .init(attemptTimeout: .seconds(2), attempts: 2))) {
        self.txt = txtLookup
    }

    /// See ``DNSChallengeLookup/zone(of:resolvers:)``.
    public func zone(of name: DomainName, resolvers: [DNSAddress]) async throws -> DomainName {
        throw ZoneDiscoveryUnavailable()
    }

    /// See ``DNSChallengeLookup/authoritativeServers(of:resolvers:)``.
    public func authoritativeServers(of zone: DomainName, resolvers: [DNSAddress]) async throws -> [DNSAddress] {
        throw ZoneDiscoveryUnavailable()
    }

    /// See ``DNSChallengeLookup/txtValues(at:server:)``.
    public func txtValues(at name: DomainName, server: DNSAddress) async throws -> [String] {
        try await txt.lookupTXT(name, at: server)
    }

    /// The resolvers of /etc/resolv.conf.
    public func systemResolvers() -> [DNSAddress] { SystemResolvers.load() }
}

struct ZoneDiscoveryUnavailable: Error, CustomStringConvertible {
    var description: String { "zone discovery is not available in this build" }
}
