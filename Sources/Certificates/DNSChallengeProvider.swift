import DNS
import Foundation

/// Publishes and removes the TXT records of DNS-01 challenges (`dnsChallenge.provider`).
///
/// One implementation per DNS service: `builtin` (Gatehouse's own authoritative server) now;
/// RFC 2136, an exec hook and the provider APIs (Cloudflare, Route 53, …) slot in behind the
/// same two calls. A provider never logs credentials.
public protocol DNSChallengeProvider: Sendable {
    /// The provider's name in configuration (`builtin`, `cloudflare`, …).
    var name: String { get }

    /// Publishes `value` as a TXT record at `recordName` (`_acme-challenge.example.com`),
    /// alongside any value already there (an apex and its wildcard share one name).
    func present(recordName: String, value: String) async throws

    /// Removes `value` from `recordName`, leaving other values.
    func cleanUp(recordName: String, value: String) async throws

    /// Whether a record is visible to the CA as soon as ``present(recordName:value:)``
    /// returns, so no propagation check is needed (true for the built-in server).
    var isImmediatelyVisible: Bool { get }
}

/// `dnsChallenge.provider: builtin`: the records are served by Gatehouse's own DNS server
/// (``DNS/DNSServer``), to which the domain delegates its `_acme-challenge` labels.
public struct BuiltinDNSProvider: DNSChallengeProvider {
    /// The records the built-in server answers from.
    public let records: DNSChallengeRecords
    /// How long a record stays if clean-up never happens (a crash).
    public var lifetime: Duration

    /// - Parameter records: the store the running ``DNS/DNSServer`` serves.
    public init(records: DNSChallengeRecords, lifetime: Duration = .seconds(3600)) {
        self.records = records
        self.lifetime = lifetime
    }

    public var name: String { "builtin" }
    public var isImmediatelyVisible: Bool { true }

    public func present(recordName: String, value: String) async throws {
        records.add(value, for: try DomainName(recordName), expiresAfter: lifetime)
    }

    public func cleanUp(recordName: String, value: String) async throws {
        _ = records.remove(value, for: try DomainName(recordName))
    }
}
