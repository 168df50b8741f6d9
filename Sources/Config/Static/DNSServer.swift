/// `dnsServer` (a Gatehouse key; Traefik has none): the built-in authoritative DNS server that
/// answers DNS-01 challenges for resolvers with `dnsChallenge.provider: builtin`.
///
/// A domain delegates its `_acme-challenge` labels to the gateway
/// (`_acme-challenge.example.com. NS gateway.example.com.`); the server answers TXT queries for
/// those names while a challenge is pending. It starts only when a resolver uses it.
public struct DNSServer: Sendable, Equatable {
    /// Listen address for UDP and TCP, in entry point form (`:53`, `127.0.0.1:5353`,
    /// `[::]:53`). Default `:53`.
    public var address: String?

    /// Nothing set.
    public init() {}

    /// The default listen address.
    public static let defaultAddress = ":53"
    /// ``address`` or `:53`.
    public var effectiveAddress: String { address ?? Self.defaultAddress }
}

extension DNSServer: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        address = try m.decode("address")
        try m.finish()
    }
}
