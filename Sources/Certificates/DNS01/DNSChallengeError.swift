import DNS

/// Why a DNS-01 record could not be published or was not seen in time, naming the step
/// (zone lookup, publish, propagation) and what was asked of whom. It reaches the certificate's
/// status and `lastError`; it never holds a credential.
public struct DNSChallengeError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case zoneNotFound(name: DomainName, resolvers: [String], detail: String)
        case authoritativeServers(zone: DomainName, resolvers: [String], detail: String)
        case publish(name: DomainName, provider: String, detail: String)
        case notVisible(name: DomainName, value: String, pending: [String], waited: Duration)
        case invalidResolver(String, detail: String)
    }

    private let kind: Kind

    /// The step that failed: `zone lookup`, `publish` or `propagation`.
    public var step: String {
        switch kind {
        case .zoneNotFound: "zone lookup"
        case .authoritativeServers: "propagation"
        case .publish: "publish"
        case .notVisible: "propagation"
        case .invalidResolver: "configuration"
        }
    }

    /// No zone holding `name` was found asking `resolvers`.
    public static func zoneNotFound(_ name: DomainName, resolvers: [String], detail: String) -> Self {
        Self(kind: .zoneNotFound(name: name, resolvers: resolvers, detail: detail))
    }

    /// The authoritative servers of `zone` could not be found.
    public static func authoritativeServers(_ zone: DomainName, resolvers: [String], detail: String) -> Self {
        Self(kind: .authoritativeServers(zone: zone, resolvers: resolvers, detail: detail))
    }

    /// The provider failed to publish the record at `name`.
    public static func publish(_ name: DomainName, provider: String, detail: String) -> Self {
        Self(kind: .publish(name: name, provider: provider, detail: detail))
    }

    /// `dnsChallenge.resolvers` holds `text`, which is not an address.
    public static func invalidResolver(_ text: String, detail: String) -> Self {
        Self(kind: .invalidResolver(text, detail: detail))
    }

    /// `value` was not seen at `name` by the servers in `pending` (each `kind server: last
    /// seen`) after `waited`.
    public static func notVisible(_ name: DomainName, value: String, pending: [String], waited: Duration) -> Self {
        Self(kind: .notVisible(name: name, value: value, pending: pending, waited: waited))
    }

    /// `DNS-01 zone lookup: zone not found for _acme-challenge.example.com. via 127.0.0.1:53: …`.
    public var description: String {
        switch kind {
        case .zoneNotFound(let name, let resolvers, let detail):
            "DNS-01 zone lookup: zone not found for \(name) via \(Self.list(resolvers)): \(detail)"
        case .authoritativeServers(let zone, let resolvers, let detail):
            "DNS-01 propagation: no authoritative nameserver found for zone \(zone) via \(Self.list(resolvers)): \(detail)"
        case .publish(let name, let provider, let detail):
            "DNS-01 publish: \(provider) could not publish TXT \(name): \(detail)"
        case .notVisible(let name, let value, let pending, let waited):
            "DNS-01 propagation: TXT \"\(value)\" at \(name) not visible after \(Self.seconds(waited)) at \(pending.joined(separator: "; "))"
        case .invalidResolver(let text, let detail):
            "DNS-01 configuration: dnsChallenge.resolvers: \"\(text)\" is not a resolver address: \(detail)"
        }
    }

    private static func list(_ servers: [String]) -> String {
        servers.isEmpty ? "the system resolvers" : servers.joined(separator: ", ")
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = attoseconds / 100_000_000_000_000_000
        return "\(seconds).\(tenths)s"
    }
}
