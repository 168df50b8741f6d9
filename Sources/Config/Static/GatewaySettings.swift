/// `gateway` (a Gatehouse key; Traefik has none): the gateway's own identity.
///
/// With ``domain`` set, the admin API's name proxies (`name: foo`) publish `foo.<domain>`,
/// served under the wildcard certificate `*.<domain>` (DNS-01, from ``resolver`` unless the
/// request names another).
///
/// ```yaml
/// gateway:
///   domain: gw.example.com
///   resolver: le-dns
/// ```
public struct GatewaySettings: Sendable, Equatable {
    /// The gateway's domain, e.g. `gw.example.com`; lowercase, no trailing dot.
    public var domain: String?
    /// The certificate resolver the admin API uses when a request names none. Default: the
    /// only resolver when exactly one is configured.
    public var resolver: String?

    /// Nothing set.
    public init() {}

    /// ``domain`` lowercased without a trailing dot; `nil` when unset or empty.
    public var normalizedDomain: String? {
        guard var domain = domain?.trimmingWhitespace().lowercased(), !domain.isEmpty else { return nil }
        while domain.hasSuffix(".") { domain.removeLast() }
        return domain.isEmpty ? nil : domain
    }
}

extension GatewaySettings: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        domain = try m.decode("domain")
        resolver = try m.decode("resolver")
        if let domain, let child = m.child("domain") {
            let labels = domain.lowercased().split(separator: ".", omittingEmptySubsequences: false)
            let valid = labels.count >= 2 && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
                    && !label.hasPrefix("-") && !label.hasSuffix("-")
            }
            if !valid {
                throw child.error(.invalidValue, "gateway.domain \"\(domain)\" is not a DNS name with at least two labels (e.g. gw.example.com)")
            }
        }
        try m.finish()
    }
}
