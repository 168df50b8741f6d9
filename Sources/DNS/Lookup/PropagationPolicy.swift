/// Where a DNS-01 record must be visible before the CA is told to look (lego's propagation
/// check; Traefik's `propagation.disableANSChecks` and `propagation.requireAllRNS`).
///
/// The default checks every authoritative server of the zone, as lego does. Resolvers only,
/// authoritative servers only, or both can be asked for; with neither the check passes at once.
public struct PropagationPolicy: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Ask each authoritative server of the zone (found through the resolvers), without
    /// recursion. False for Traefik's `disableANSChecks: true`.
    public var checkAuthoritativeServers: Bool
    /// Ask each configured resolver (recursively). True for Traefik's `requireAllRNS: true`.
    public var checkResolvers: Bool

    /// - Parameters: see the properties. Default: authoritative servers only.
    public init(checkAuthoritativeServers: Bool = true, checkResolvers: Bool = false) {
        self.checkAuthoritativeServers = checkAuthoritativeServers
        self.checkResolvers = checkResolvers
    }

    /// The zone's authoritative servers only (lego's default).
    public static let authoritativeServers = PropagationPolicy(checkAuthoritativeServers: true, checkResolvers: false)
    /// The configured resolvers only.
    public static let resolvers = PropagationPolicy(checkAuthoritativeServers: false, checkResolvers: true)
    /// Both.
    public static let authoritativeServersAndResolvers = PropagationPolicy(checkAuthoritativeServers: true, checkResolvers: true)
    /// No check (Traefik's `propagation.disableChecks`).
    public static let none = PropagationPolicy(checkAuthoritativeServers: false, checkResolvers: false)

    /// `authoritative servers`, `resolvers`, `authoritative servers and resolvers` or `none`.
    public var description: String {
        switch (self.checkAuthoritativeServers, self.checkResolvers) {
        case (true, false): "authoritative servers"
        case (false, true): "resolvers"
        case (true, true): "authoritative servers and resolvers"
        case (false, false): "none"
        }
    }
}
