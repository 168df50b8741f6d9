/// `udp.routers.<name>`: UDP has no rules; a router binds entry points to a service.
public struct UDPRouter: Sendable, Equatable {
    /// Entry points (with `/udp` addresses); absent means all UDP entry points.
    public var entryPoints: [String]?
    /// The UDP service. Required.
    public var service: String?

    /// Nothing set.
    public init() {}

    /// A router to a service.
    public init(service: String, entryPoints: [String]? = nil) {
        self.service = service
        self.entryPoints = entryPoints
    }
}

/// `udp.services.<name>`: a load balancer or a weighted round robin.
public enum UDPService: Sendable, Equatable {
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

        /// Nothing set.
        public init() {}
    }

    /// `loadBalancer.servers[]`.
    public struct Server: Sendable, Equatable {
        /// `host:port`.
        public var address: String?
        /// Relative weight. Default 1.
        public var weight: Int?

        /// Nothing set.
        public init() {}

        /// A server at `host:port`.
        public init(address: String) {
            self.address = address
        }
    }

    /// `weighted`.
    public struct Weighted: Sendable, Equatable {
        /// The services and their weights.
        public var services: [HTTPService.WeightedService]?

        /// Nothing set.
        public init() {}
    }
}

/// The `udp` section of the dynamic configuration.
public struct UDPConfiguration: Sendable, Equatable {
    /// `udp.routers`.
    public var routers: [String: UDPRouter] = [:]
    /// `udp.services`.
    public var services: [String: UDPService] = [:]

    /// Nothing set.
    public init() {}

    /// Whether no item is defined.
    public var isEmpty: Bool { routers.isEmpty && services.isEmpty }
}

extension UDPRouter: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        entryPoints = try m.decode("entryPoints")
        service = try m.decode("service")
        try m.finish()
    }
}

extension UDPService: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        self = try m.oneOf("service type", [
            ("loadBalancer", { r throws(ConfigError) in .loadBalancer(try r.decode()) }),
            ("weighted", { r throws(ConfigError) in .weighted(try r.decode()) }),
        ])
    }
}

extension UDPService.LoadBalancer: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        servers = try m.decode("servers")
        try m.finish()
    }
}

extension UDPService.Server: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        address = try m.decode("address")
        weight = try m.decode("weight")
        try m.finish()
    }
}

extension UDPService.Weighted: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        services = try m.decode("services")
        try m.finish()
    }
}

extension UDPConfiguration: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        routers = try m.decode("routers") ?? [:]
        services = try m.decode("services") ?? [:]
        try m.finish()
    }
}
