import DNS

extension DNSPreflight.Options {
    /// The pre-flight options for a provider whose credentials carry lego's tuning `tuning`
    /// (``DNSProviderKind/tuning(_:)``), the one rule of `gatehouse dns test` and
    /// `POST /api/v1/dns-credentials/{id}/test`: for each of the propagation timeout, the
    /// polling interval and the probe's TTL, the explicit value (a command-line flag) wins, else
    /// the provider's `<PREFIX>_PROPAGATION_TIMEOUT`, `<PREFIX>_POLLING_INTERVAL` and
    /// `<PREFIX>_TTL`, else the defaults of ``init(resolvers:policy:propagationTimeout:lookup:ttl:)``
    /// (60 s, 2 s, 120 s). A tuning interval or TTL of zero is ignored.
    ///
    /// - Parameters:
    ///   - tuning: the provider's tuning variables, in seconds.
    ///   - resolvers: resolvers for the zone lookup and the propagation check; empty for the system's.
    ///   - policy: where the record must be visible.
    ///   - timeout: an explicit propagation timeout.
    ///   - interval: an explicit pause between checks.
    ///   - ttl: an explicit TTL of the probe record, in seconds.
    public init(
        tuning: DNSProviderKind.Tuning, resolvers: [DNSAddress] = [], policy: PropagationPolicy = .authoritativeServers,
        timeout: Duration? = nil, interval: Duration? = nil, ttl: Int? = nil
    ) {
        self.init(resolvers: resolvers, policy: policy)
        if let timeout = timeout ?? tuning.propagationTimeout.map({ .seconds($0) }) {
            propagationTimeout = timeout
        }
        if let interval = interval ?? tuning.pollingInterval.flatMap({ $0 > 0 ? .seconds($0) : nil }) {
            lookup.pollInterval = interval
        }
        if let ttl = ttl ?? tuning.ttl.flatMap({ $0 > 0 ? $0 : nil }) {
            self.ttl = ttl
        }
    }
}
