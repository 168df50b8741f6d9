import DNS

/// One DNS-01 TXT record to publish or remove.
public struct ChallengeRecord: Sendable, Hashable, CustomStringConvertible {
    /// The record's fully qualified name, `_acme-challenge.<domain>` (a wildcard's `*.` left off).
    public var name: DomainName
    /// The TXT value: the base64url SHA-256 digest of the key authorization (public).
    public var value: String
    /// The zone holding ``name``, found by an SOA lookup (``DNS/ZoneFinder``) when the provider
    /// ``DNSChallengeProvider/needsZone``; otherwise ``name``'s parent, not looked up.
    public var zone: DomainName
    /// The TTL to publish with, in seconds (lego's `<PREFIX>_TTL`). Default 120.
    public var ttl: Int

    /// - Parameters: see the properties.
    public init(name: DomainName, value: String, zone: DomainName, ttl: Int = 120) {
        self.name = name
        self.value = value
        self.zone = zone
        self.ttl = ttl
    }

    /// ``name`` relative to ``zone`` without a trailing dot (`_acme-challenge.www` in zone
    /// `example.com`), `@` when the name is the zone's apex; the form most DNS APIs take.
    public var relativeName: String {
        let own = name.labels.count, apex = zone.labels.count
        guard name.isSubdomain(of: zone), own > apex else { return "@" }
        return name.labels[0..<(own - apex)].map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
    }

    /// ``name`` without its trailing dot, lowercased (`_acme-challenge.example.com`).
    public var fqdnWithoutDot: String { Self.withoutDot(name) }

    /// ``zone`` without its trailing dot, lowercased (`example.com`).
    public var zoneWithoutDot: String { Self.withoutDot(zone) }

    /// `"_acme-challenge.example.com." in zone example.com.`; the value is public and shown.
    public var description: String { "\(name) in zone \(zone)" }

    private static func withoutDot(_ name: DomainName) -> String {
        var text = name.lowercased.description
        if text.hasSuffix("."), text.count > 1 { text.removeLast() }
        return text
    }
}
