import DNS

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

    /// `builtin`.
    public var name: String { "builtin" }
    /// The server answers for the delegated labels whatever the zone above them is.
    public var needsZone: Bool { false }
    /// The server answers from memory at once.
    public var isImmediatelyVisible: Bool { true }

    /// Adds the value to the served records.
    public func present(_ record: ChallengeRecord) async throws {
        records.add(record.value, for: record.name, expiresAfter: lifetime)
    }

    /// Removes the value from the served records.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        _ = records.remove(record.value, for: record.name)
    }
}
