/// One provider Gatehouse knows by name: the variables it reads and how it is made.
public struct DNSProviderKind: Sendable {
    /// The name in `dnsChallenge.provider` (lego's: `cloudflare`, `route53`, `rfc2136` …).
    public let name: String
    /// lego's prefix of the provider's tuning variables: `<PREFIX>_TTL`,
    /// `<PREFIX>_PROPAGATION_TIMEOUT`, `<PREFIX>_POLLING_INTERVAL` (`CF`, `AWS`, `RFC2136` …).
    public let environmentPrefix: String
    /// The variables the provider reads, for documentation, `gatehouse dns providers` and the
    /// admin API's credential validation.
    public let variables: [Variable]
    /// Makes the provider from its credentials.
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming a missing or malformed variable.
    public let make: @Sendable (DNSCredentials, DNSProviderContext) throws(DNSProviderError) -> any DNSChallengeProvider

    /// - Parameters: see the properties.
    public init(
        name: String,
        environmentPrefix: String,
        variables: [Variable],
        make: @escaping @Sendable (DNSCredentials, DNSProviderContext) throws(DNSProviderError) -> any DNSChallengeProvider
    ) {
        self.name = name
        self.environmentPrefix = environmentPrefix
        self.variables = variables
        self.make = make
    }

    /// One variable a provider reads.
    public struct Variable: Sendable, Hashable {
        /// lego's name (`CF_DNS_API_TOKEN`); `<name>_FILE` is read too.
        public let name: String
        /// Other names lego accepts for the same value.
        public let aliases: [String]
        /// Whether the provider cannot work without it (or one of its alternatives).
        public let isRequired: Bool
        /// Whether it is a secret: never shown, encrypted when stored.
        public let isSecret: Bool
        /// What it is, for help text.
        public let summary: String

        /// - Parameters: see the properties.
        public init(_ name: String, aliases: [String] = [], required: Bool = false, secret: Bool = false, _ summary: String) {
            self.name = name
            self.aliases = aliases
            self.isRequired = required
            self.isSecret = secret
            self.summary = summary
        }
    }

    /// The tuning values (`<PREFIX>_TTL`, `_PROPAGATION_TIMEOUT`, `_POLLING_INTERVAL`) set in
    /// `credentials`, in seconds.
    public func tuning(_ credentials: DNSCredentials) throws(DNSProviderError) -> Tuning {
        Tuning(
            ttl: try credentials.seconds("\(environmentPrefix)_TTL", provider: name),
            propagationTimeout: try credentials.seconds("\(environmentPrefix)_PROPAGATION_TIMEOUT", provider: name),
            pollingInterval: try credentials.seconds("\(environmentPrefix)_POLLING_INTERVAL", provider: name)
        )
    }

    /// lego's per-provider tuning, in seconds; `nil` where not set.
    public struct Tuning: Sendable, Hashable {
        /// `<PREFIX>_TTL`.
        public var ttl: Int?
        /// `<PREFIX>_PROPAGATION_TIMEOUT`.
        public var propagationTimeout: Int?
        /// `<PREFIX>_POLLING_INTERVAL`.
        public var pollingInterval: Int?

        /// - Parameters: see the properties.
        public init(ttl: Int? = nil, propagationTimeout: Int? = nil, pollingInterval: Int? = nil) {
            self.ttl = ttl
            self.propagationTimeout = propagationTimeout
            self.pollingInterval = pollingInterval
        }
    }
}

extension DNSProviderKind.Variable {
    /// lego's propagation tuning every provider reads, `<PREFIX>_PROPAGATION_TIMEOUT` and
    /// `<PREFIX>_POLLING_INTERVAL` (see ``DNSProviderKind/tuning(_:)``), with `defaults` in
    /// seconds for the help text when the provider has its own.
    public static func propagation(_ prefix: String, defaults: (timeout: Int, interval: Int)? = nil) -> [Self] {
        let timeout = defaults.map { " (default \($0.timeout))" } ?? ""
        let interval = defaults.map { " (default \($0.interval))" } ?? ""
        return [
            Self("\(prefix)_PROPAGATION_TIMEOUT", "Maximum wait for the record to be visible, in seconds\(timeout)"),
            Self("\(prefix)_POLLING_INTERVAL", "Time between propagation checks, in seconds\(interval)"),
        ]
    }
}
