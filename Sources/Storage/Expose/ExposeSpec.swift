/// What an operator asked to publish: one host name routed to its backends, over http, https
/// with a certificate, or TLS passthrough. Stored as JSON with the route, the operation and the
/// pending change that carry it.
public struct ExposeSpec: Sendable, Codable, Hashable {
    /// The host name served, lowercase (for a name proxy, `<name>.<gateway domain>`).
    public var host: String
    /// `http` or `https`.
    public var scheme: String
    /// The backends: `http(s)://host:port` URLs, or `host:port` addresses for passthrough.
    public var backends: [String]
    /// TLS bytes are forwarded to the backends without terminating (no certificate here).
    public var tlsPassthrough: Bool
    /// The certificate resolver; `nil` when no certificate is needed.
    public var resolver: String?
    /// The challenge type asked for (`http-01`, `tls-alpn-01`, `dns-01`), if any.
    public var challenge: String?
    /// The id of a stored DNS credential for DNS-01, if any (never the secret itself).
    public var dnsCredential: String?
    /// The entry points the route listens on.
    public var entryPoints: [String]
    /// Whether this is a name proxy under the gateway's domain (served under its wildcard).
    public var nameProxy: Bool
    /// The names of the certificate the route is served under (`[host]`, or `["*.domain"]`
    /// for a name proxy); empty when no certificate is needed.
    public var certificateNames: [String]

    /// - Parameters: see the properties.
    public init(
        host: String, scheme: String, backends: [String], tlsPassthrough: Bool = false, resolver: String? = nil,
        challenge: String? = nil, dnsCredential: String? = nil, entryPoints: [String], nameProxy: Bool = false,
        certificateNames: [String] = []
    ) {
        self.host = host
        self.scheme = scheme
        self.backends = backends
        self.tlsPassthrough = tlsPassthrough
        self.resolver = resolver
        self.challenge = challenge
        self.dnsCredential = dnsCredential
        self.entryPoints = entryPoints
        self.nameProxy = nameProxy
        self.certificateNames = certificateNames
    }

    /// Whether the route needs a certificate of ours before it goes live.
    public var needsCertificate: Bool { scheme == "https" && !tlsPassthrough }

    /// The router and service name of this host: `expose-` and the host with dots as dashes
    /// (`app.example.com` → `expose-app-example-com`).
    public var itemName: String { Self.itemName(host: host) }

    /// The router and service name for `host`.
    public static func itemName(host: String) -> String {
        "expose-" + host.replacingOccurrences(of: ".", with: "-")
    }
}
