import DNS

/// ``DNSChallengeLookup`` over the network: SOA and NS lookups through the given resolvers
/// (``DNS/ZoneFinder``), TXT lookups at a server (``DNS/DNSTXTLookup``).
public struct LiveDNSChallengeLookup: DNSChallengeLookup {
    private let configuration: DNSTXTLookup.Configuration
    private let txt: DNSTXTLookup

    /// - Parameter configuration: each query's timeout and attempts. Default: 2 seconds, 2
    ///   attempts (a check that does not answer is asked again at the next interval).
    public init(configuration: DNSTXTLookup.Configuration = .init(attemptTimeout: .seconds(2), attempts: 2)) {
        self.configuration = configuration
        self.txt = DNSTXTLookup(configuration: configuration)
    }

    /// See ``DNSChallengeLookup/zone(of:resolvers:)``.
    public func zone(of name: DomainName, resolvers: [DNSAddress]) async throws -> DomainName {
        try await ZoneFinder(resolvers: resolvers, configuration: configuration).zone(of: name)
    }

    /// See ``DNSChallengeLookup/authoritativeServers(of:resolvers:)``.
    public func authoritativeServers(of zone: DomainName, resolvers: [DNSAddress]) async throws -> [DNSAddress] {
        try await ZoneFinder(resolvers: resolvers, configuration: configuration).authoritativeServers(of: zone)
    }

    /// See ``DNSChallengeLookup/txtValues(at:server:authoritative:)``.
    public func txtValues(at name: DomainName, server: DNSAddress, authoritative: Bool) async throws -> [String] {
        try await txt.lookupTXT(name, at: server, recursionDesired: !authoritative)
    }

    /// The resolvers of /etc/resolv.conf.
    public func systemResolvers() -> [DNSAddress] { SystemResolvers.load() }
}
