/// SOA record data (RFC 1035 §3.3.13): the zone's primary server, its contact and the timers.
/// In a negative answer the SOA's `minimum` and TTL bound how long resolvers cache the
/// non-existence (RFC 2308 §5).
public struct StartOfAuthority: Sendable, Hashable, CustomStringConvertible {
    /// The primary name server (MNAME).
    public var primaryServer: DomainName
    /// The contact mailbox in name form, `hostmaster.example.com.` for hostmaster@example.com
    /// (RNAME).
    public var responsibleMailbox: DomainName
    /// The zone's version (SERIAL).
    public var serial: UInt32
    /// Seconds between secondary refreshes (REFRESH).
    public var refresh: UInt32
    /// Seconds before a failed refresh is retried (RETRY).
    public var retry: UInt32
    /// Seconds after which a secondary stops answering without a refresh (EXPIRE).
    public var expire: UInt32
    /// The negative caching TTL (MINIMUM, RFC 2308 §4).
    public var minimum: UInt32

    /// Makes a value from its fields; defaults are documented on each property.
    public init(
        primaryServer: DomainName, responsibleMailbox: DomainName, serial: UInt32,
        refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32
    ) {
        self.primaryServer = primaryServer
        self.responsibleMailbox = responsibleMailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }

    /// A readable form for logs and error messages.
    public var description: String {
        "\(self.primaryServer) \(self.responsibleMailbox) \(self.serial) \(self.refresh) \(self.retry) \(self.expire) \(self.minimum)"
    }
}
