/// A set of names a router needs one certificate for, from one resolver: `tls.domains[]`
/// (`main` then `sans`) or, without domains, the router's `Host()` names.
public struct CertificateDemand: Sendable, Hashable, CustomStringConvertible {
    /// The resolver (`tls.certResolver`).
    public var resolver: String
    /// The names, main name first; wildcards as `*.example.com`.
    public var names: [String]
    /// The routers that need it, for logs.
    public var routers: [String]

    /// - Parameters: see the properties.
    public init(resolver: String, names: [String], routers: [String] = []) {
        self.resolver = resolver
        self.names = names
        self.routers = routers
    }

    public var description: String { "\(names.joined(separator: ", ")) (resolver \(resolver))" }
}
