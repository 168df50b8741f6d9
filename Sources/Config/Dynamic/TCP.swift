/// `tcp.routers.<name>`: which TCP connections (by SNI) go to which service.
public struct TCPRouter: Sendable, Equatable {
    /// The rule, e.g. ``HostSNI(`example.com`)`` or ``HostSNI(`*`)``. Required.
    public var rule: String?
    /// `v3` (default) or `v2`.
    public var ruleSyntax: String?
    /// Entry points the router listens on; absent means the default entry points.
    public var entryPoints: [String]?
    /// The TCP service connections are sent to. Required.
    public var service: String?
    /// Priority; absent or 0 means the rule's length.
    public var priority: Int?
    /// TCP middlewares applied in order.
    public var middlewares: [String]?
    /// TLS: terminate (with options/certResolver/domains) or pass through.
    public var tls: RouterTLS?

    /// Nothing set.
    public init() {}

    /// A router with a rule and a service.
    public init(rule: String, service: String, entryPoints: [String]? = nil) {
        self.rule = rule
        self.service = service
        self.entryPoints = entryPoints
    }
}

/// `tcp.services.<name>`: a load balancer or a weighted round robin.
public enum TCPService: Sendable, Equatable {
    /// `loadBalancer`.
    case loadBalancer(LoadBalancer)
    /// `weighted`.
    case weighted(Weighted)

    /// The load balancer, if this is one.
    public var loadBalancer: LoadBalancer? {
        if case .loadBalancer(let value) = self { return value }
        return nil
    }

    /// `loadBalancer`.
    public struct LoadBalancer: Sendable, Equatable {
        /// The backends.
        public var servers: [Server]?
        /// Send a PROXY protocol header to the servers (deprecated in favour of the transport's).
        public var proxyProtocol: ProxyProtocol?
        /// Name of a `tcp.serversTransports` entry.
        public var serversTransport: String?
        /// How long to keep a half-closed connection open (deprecated in favour of the transport's).
        public var terminationDelay: ConfigDuration?
        /// Active health checks (Traefik 3.5+), kept as written.
        public var healthCheck: ConfigValue?

        /// Nothing set.
        public init() {}

        /// A load balancer over `host:port` addresses.
        public init(addresses: [String]) {
            self.servers = addresses.map { Server(address: $0) }
        }
    }

    /// `loadBalancer.servers[]`.
    public struct Server: Sendable, Equatable {
        /// `host:port`.
        public var address: String?
        /// Connect to the server with TLS. Default false.
        public var tls: Bool?
        /// Relative weight. Default 1.
        public var weight: Int?

        /// Nothing set.
        public init() {}

        /// A server at `host:port`.
        public init(address: String) {
            self.address = address
        }
    }

    /// `proxyProtocol`.
    public struct ProxyProtocol: Sendable, Equatable {
        /// PROXY protocol version, 1 or 2. Default 2.
        public var version: Int?

        /// Nothing set.
        public init() {}
    }

    /// `weighted`.
    public struct Weighted: Sendable, Equatable {
        /// The services and their weights.
        public var services: [HTTPService.WeightedService]?
        /// Present: propagate health.
        public var healthCheck: HTTPService.HealthCheckPropagation?

        /// Nothing set.
        public init() {}
    }
}

/// `tcp.middlewares.<name>`: exactly one of the TCP middlewares.
public enum TCPMiddleware: Sendable, Equatable {
    /// `ipAllowList` (also read from the deprecated `ipWhiteList`).
    case ipAllowList(IPAllowList)
    /// `inFlightConn`: limit simultaneous connections per client IP.
    case inFlightConn(InFlightConn)

    /// `ipAllowList`.
    public struct IPAllowList: Sendable, Equatable {
        /// Allowed IPs and CIDR ranges.
        public var sourceRange: [String]?

        /// Nothing set.
        public init() {}
    }

    /// `inFlightConn`.
    public struct InFlightConn: Sendable, Equatable {
        /// Maximum simultaneous connections per client IP.
        public var amount: Int64?

        /// Nothing set.
        public init() {}
    }
}

/// The `tcp` section of the dynamic configuration.
public struct TCPConfiguration: Sendable, Equatable {
    /// `tcp.routers`.
    public var routers: [String: TCPRouter] = [:]
    /// `tcp.services`.
    public var services: [String: TCPService] = [:]
    /// `tcp.middlewares`.
    public var middlewares: [String: TCPMiddleware] = [:]
    /// `tcp.serversTransports`.
    public var serversTransports: [String: TCPServersTransport] = [:]

    /// Nothing set.
    public init() {}

    /// Whether no item is defined.
    public var isEmpty: Bool {
        routers.isEmpty && services.isEmpty && middlewares.isEmpty && serversTransports.isEmpty
    }
}

// MARK: - Decoding

extension TCPRouter: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        rule = try m.decode("rule")
        ruleSyntax = try m.decode("ruleSyntax")
        entryPoints = try m.decode("entryPoints")
        service = try m.decode("service")
        priority = try m.decode("priority")
        middlewares = try m.decode("middlewares")
        tls = try m.decode("tls")
        try m.finish()
    }
}

extension TCPService: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        self = try m.oneOf("service type", [
            ("loadBalancer", { r throws(ConfigError) in .loadBalancer(try r.decode()) }),
            ("weighted", { r throws(ConfigError) in .weighted(try r.decode()) }),
        ])
    }
}

extension TCPService.LoadBalancer: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        servers = try m.decode("servers")
        proxyProtocol = try m.decode("proxyProtocol")
        serversTransport = try m.decode("serversTransport")
        terminationDelay = try m.decode("terminationDelay")
        healthCheck = try m.decode("healthCheck")
        try m.finish()
    }
}

extension TCPService.Server: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        address = try m.decode("address")
        tls = try m.decode("tls")
        weight = try m.decode("weight")
        try m.finish()
    }
}

extension TCPService.ProxyProtocol: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        version = try m.decode("version")
        try m.finish()
        if let version, version != 1 && version != 2 {
            throw reader.error(.invalidValue, "PROXY protocol version must be 1 or 2, found \(version)")
        }
    }
}

extension TCPService.Weighted: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        services = try m.decode("services")
        healthCheck = try m.decode("healthCheck")
        try m.finish()
    }
}

extension TCPMiddleware: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        self = try m.oneOf("middleware type", [
            ("ipAllowList", { r throws(ConfigError) in .ipAllowList(try r.decode()) }),
            ("ipWhiteList", { r throws(ConfigError) in .ipAllowList(try r.decode()) }),
            ("inFlightConn", { r throws(ConfigError) in .inFlightConn(try r.decode()) }),
        ])
    }
}

extension TCPMiddleware.IPAllowList: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        sourceRange = try m.decode("sourceRange")
        try m.finish()
    }
}

extension TCPMiddleware.InFlightConn: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        amount = try m.decode("amount")
        try m.finish()
    }
}

extension TCPConfiguration: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        routers = try m.decode("routers") ?? [:]
        services = try m.decode("services") ?? [:]
        middlewares = try m.decode("middlewares") ?? [:]
        serversTransports = try m.decode("serversTransports") ?? [:]
        try m.finish()
    }
}
