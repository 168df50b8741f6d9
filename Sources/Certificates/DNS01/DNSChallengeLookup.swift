import DNS

/// The DNS questions a DNS-01 solver asks: which zone holds a name, which servers are
/// authoritative for it, and which TXT values a server shows.
///
/// ``LiveDNSChallengeLookup`` asks the network; tests give their own.
public protocol DNSChallengeLookup: Sendable {
    /// The zone holding `name` (the closest enclosing SOA), asked of `resolvers` (the system's
    /// when empty).
    func zone(of name: DomainName, resolvers: [DNSAddress]) async throws -> DomainName

    /// The addresses of `zone`'s authoritative nameservers, asked of `resolvers` (the system's
    /// when empty).
    func authoritativeServers(of zone: DomainName, resolvers: [DNSAddress]) async throws -> [DNSAddress]

    /// The TXT values at `name` as `server` answers now; empty when there are none.
    /// `authoritative` says the server is one of the zone's own (asked without recursion).
    func txtValues(at name: DomainName, server: DNSAddress, authoritative: Bool) async throws -> [String]

    /// The servers to ask when no resolver is configured (the system's).
    func systemResolvers() -> [DNSAddress]
}
