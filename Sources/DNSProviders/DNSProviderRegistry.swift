/// The DNS-01 providers built into Gatehouse, by name. No custom build is needed for any.
///
/// `builtin` is not listed: it is made by the runtime around its own DNS server.
public enum DNSProviderRegistry {
    /// Every provider made from credentials, sorted by name.
    public static let all: [DNSProviderKind] = [
        CloudflareProvider.kind,
        DigitalOceanProvider.kind,
        ExecProvider.kind,
        GCloudProvider.kind,
        GandiV5Provider.kind,
        HTTPReqProvider.kind,
        HetznerProvider.kind,
        OVHProvider.kind,
        PorkbunProvider.kind,
        RFC2136Provider.kind,
        Route53Provider.kind,
    ].sorted { $0.name < $1.name }

    /// The provider called `name` (case-insensitive), or `nil`.
    public static func kind(named name: String) -> DNSProviderKind? {
        let wanted = name.lowercased()
        return all.first { $0.name == wanted }
    }

    /// Every name `dnsChallenge.provider` accepts, `builtin` included.
    public static var names: [String] { (["builtin"] + all.map(\.name)).sorted() }
}
