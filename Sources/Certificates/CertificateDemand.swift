/// A set of names a router needs one certificate for, from one resolver: `tls.domains[]`
/// (`main` then `sans`) or, without domains, the router's `Host()` names.
public struct CertificateDemand: Sendable, Hashable, CustomStringConvertible {
    /// The resolver (`tls.certResolver`).
    public var resolver: String
    /// The names, main name first; wildcards as `*.example.com`.
    public var names: [String]
    /// The routers that need it, for logs.
    public var routers: [String]
    /// The one challenge type to order with (an expose request's `challenge`); `nil`: the
    /// resolver's. Stored on the record the demand creates.
    public var challenge: String?
    /// The stored DNS credential for DNS-01 (an expose request's `dns_credential`); `nil`: the
    /// resolver's provider. Stored on the record the demand creates.
    public var dnsCredential: String?

    /// - Parameters: see the properties.
    public init(resolver: String, names: [String], routers: [String] = [], challenge: String? = nil, dnsCredential: String? = nil) {
        self.resolver = resolver
        self.names = names
        self.routers = routers
        self.challenge = challenge
        self.dnsCredential = dnsCredential
    }

    public var description: String { "\(names.joined(separator: ", ")) (resolver \(resolver))" }
}
