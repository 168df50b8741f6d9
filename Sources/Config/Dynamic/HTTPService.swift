/// `http.services.<name>`: exactly one of a load balancer, a weighted round robin over
/// other services, a mirroring service, or a failover pair.
public enum HTTPService: Sendable, Equatable {
    /// `loadBalancer`: servers with health checks and sticky sessions.
    case loadBalancer(LoadBalancer)
    /// `weighted`: weighted round robin over other services.
    case weighted(Weighted)
    /// `mirroring`: send to one service, copy a share of requests to others.
    case mirroring(Mirroring)
    /// `failover`: one service, and another when it is down.
    case failover(Failover)

    /// The load balancer, if this is one.
    public var loadBalancer: LoadBalancer? {
        if case .loadBalancer(let value) = self { return value }
        return nil
    }

    /// The key naming this service's kind, e.g. `loadBalancer`.
    public var kindName: String {
        switch self {
        case .loadBalancer: "loadBalancer"
        case .weighted: "weighted"
        case .mirroring: "mirroring"
        case .failover: "failover"
        }
    }

    /// The names of other services this one sends to (weighted, mirroring, failover).
    public var referencedServices: [String] {
        switch self {
        case .loadBalancer: []
        case .weighted(let weighted): (weighted.services ?? []).compactMap(\.name)
        case .mirroring(let mirroring): [mirroring.service].compactMap { $0 } + (mirroring.mirrors ?? []).compactMap(\.name)
        case .failover(let failover): [failover.service, failover.fallback].compactMap { $0 }
        }
    }

    /// `loadBalancer`.
    public struct LoadBalancer: Sendable, Equatable {
        /// The backends.
        public var servers: [Server]?
        /// Forward the client's `Host` header rather than the server's. Default true.
        public var passHostHeader: Bool?
        /// Name of an `http.serversTransports` entry. Absent means the default transport.
        public var serversTransport: String?
        /// Sticky sessions by cookie.
        public var sticky: Sticky?
        /// Active health checks.
        public var healthCheck: HealthCheck?
        /// Passive health checks (Traefik 3.5+).
        public var passiveHealthCheck: PassiveHealthCheck?
        /// Response streaming.
        public var responseForwarding: ResponseForwarding?
        /// Balancing strategy. Default ``Strategy/wrr``.
        public var strategy: Strategy?

        /// Nothing set.
        public init() {}

        /// A load balancer over server URLs.
        public init(urls: [String]) {
            self.servers = urls.map { Server(url: $0) }
        }

        /// ``passHostHeader`` or true.
        public var effectivePassHostHeader: Bool { passHostHeader ?? true }
        /// ``strategy`` or weighted round robin.
        public var effectiveStrategy: Strategy { strategy ?? .wrr }
    }

    /// A load-balancing strategy.
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// Weighted round robin.
        case wrr
        /// Power of two random choices (least outstanding requests of two random servers).
        case p2c
    }

    /// `loadBalancer.servers[]`.
    public struct Server: Sendable, Equatable {
        /// `http://host:port[/path]` or `https://…` (also `h2c://…`).
        public var url: String?
        /// Relative weight. Default 1.
        public var weight: Int?
        /// Keep the URL's path as a prefix of the forwarded path. Default false.
        public var preservePath: Bool?

        /// Nothing set.
        public init() {}

        /// A server with a URL.
        public init(url: String, weight: Int? = nil) {
            self.url = url
            self.weight = weight
        }

        /// ``weight`` or 1.
        public var effectiveWeight: Int { weight ?? 1 }
    }

    /// `sticky`.
    public struct Sticky: Sendable, Equatable {
        /// Cookie-based stickiness.
        public var cookie: Cookie?

        /// Nothing set.
        public init() {}
    }

    /// `sticky.cookie`.
    public struct Cookie: Sendable, Equatable {
        /// Cookie name. Default: derived from the service name.
        public var name: String?
        /// Set the `Secure` attribute.
        public var secure: Bool?
        /// Set the `HttpOnly` attribute.
        public var httpOnly: Bool?
        /// `none`, `lax` or `strict`.
        public var sameSite: String?
        /// `Max-Age` in seconds.
        public var maxAge: Int?
        /// `Path`. Default `/`.
        public var path: String?
        /// `Domain`.
        public var domain: String?

        /// Nothing set.
        public init() {}
    }

    /// `healthCheck` of a load balancer.
    public struct HealthCheck: Sendable, Equatable {
        /// Scheme to check with, replacing the server's.
        public var scheme: String?
        /// `http` (default) or `grpc`.
        public var mode: String?
        /// Path to request. Required for HTTP mode.
        public var path: String?
        /// Method. Default `GET`.
        public var method: String?
        /// Expected status; absent means any 2xx or 3xx.
        public var status: Int?
        /// Port to check, replacing the server's.
        public var port: Int?
        /// Time between checks. Default 30s.
        public var interval: ConfigDuration?
        /// Time between checks of an unhealthy server. Default: ``interval``.
        public var unhealthyInterval: ConfigDuration?
        /// Check timeout. Default 5s.
        public var timeout: ConfigDuration?
        /// `Host` header to send.
        public var hostname: String?
        /// Follow redirects. Default true.
        public var followRedirects: Bool?
        /// Extra request headers.
        public var headers: [String: String]?

        /// Nothing set.
        public init() {}

        /// ``interval`` or 30s.
        public var effectiveInterval: ConfigDuration { interval ?? .seconds(30) }
        /// ``unhealthyInterval`` or the effective interval.
        public var effectiveUnhealthyInterval: ConfigDuration { unhealthyInterval ?? effectiveInterval }
        /// ``timeout`` or 5s.
        public var effectiveTimeout: ConfigDuration { timeout ?? .seconds(5) }
        /// ``followRedirects`` or true.
        public var effectiveFollowRedirects: Bool { followRedirects ?? true }
        /// ``method`` or `GET`.
        public var effectiveMethod: String { method ?? "GET" }
    }

    /// `passiveHealthCheck`: mark a server down after failures seen in real traffic.
    public struct PassiveHealthCheck: Sendable, Equatable {
        /// The window failures are counted in. Default 10s.
        public var failureWindow: ConfigDuration?
        /// Failures within the window that mark the server down. Default 1.
        public var maxFailedAttempts: Int?

        /// Nothing set.
        public init() {}
    }

    /// `responseForwarding`.
    public struct ResponseForwarding: Sendable, Equatable {
        /// How often to flush the response to the client. Default 100ms; negative flushes
        /// after every write. Streaming responses are always flushed at once.
        public var flushInterval: ConfigDuration?

        /// Nothing set.
        public init() {}

        /// ``flushInterval`` or 100ms.
        public var effectiveFlushInterval: ConfigDuration { flushInterval ?? .milliseconds(100) }
    }

    /// `weighted`.
    public struct Weighted: Sendable, Equatable {
        /// The services and their weights.
        public var services: [WeightedService]?
        /// Sticky sessions by cookie.
        public var sticky: Sticky?
        /// Present: propagate the children's health.
        public var healthCheck: HealthCheckPropagation?

        /// Nothing set.
        public init() {}
    }

    /// `weighted.services[]`.
    public struct WeightedService: Sendable, Equatable {
        /// Service name.
        public var name: String?
        /// Relative weight. Default 1.
        public var weight: Int?

        /// Nothing set.
        public init() {}

        /// A named service with a weight.
        public init(name: String, weight: Int? = nil) {
            self.name = name
            self.weight = weight
        }
    }

    /// An empty `healthCheck: {}` on weighted, mirroring and failover services:
    /// present means the service's health follows its children's.
    public struct HealthCheckPropagation: Sendable, Equatable {
        /// Nothing to set.
        public init() {}
    }

    /// `mirroring`.
    public struct Mirroring: Sendable, Equatable {
        /// The main service, whose response is returned.
        public var service: String?
        /// Copy request bodies to mirrors. Default true.
        public var mirrorBody: Bool?
        /// Bodies above this size are not mirrored. Default -1 (no limit).
        public var maxBodySize: Int64?
        /// The mirrors.
        public var mirrors: [Mirror]?
        /// Present: propagate the main service's health.
        public var healthCheck: HealthCheckPropagation?

        /// Nothing set.
        public init() {}

        /// ``mirrorBody`` or true.
        public var effectiveMirrorBody: Bool { mirrorBody ?? true }
        /// ``maxBodySize`` or -1.
        public var effectiveMaxBodySize: Int64 { maxBodySize ?? -1 }
    }

    /// `mirroring.mirrors[]`.
    public struct Mirror: Sendable, Equatable {
        /// Service name.
        public var name: String?
        /// Share of requests copied, 0–100.
        public var percent: Int?

        /// Nothing set.
        public init() {}
    }

    /// `failover`.
    public struct Failover: Sendable, Equatable {
        /// The main service.
        public var service: String?
        /// Used while the main service is unhealthy.
        public var fallback: String?
        /// Present: propagate health.
        public var healthCheck: HealthCheckPropagation?

        /// Nothing set.
        public init() {}
    }
}

// MARK: - Decoding

extension HTTPService: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        self = try m.oneOf("service type", [
            ("loadBalancer", { r throws(ConfigError) in .loadBalancer(try r.decode()) }),
            ("weighted", { r throws(ConfigError) in .weighted(try r.decode()) }),
            ("mirroring", { r throws(ConfigError) in .mirroring(try r.decode()) }),
            ("failover", { r throws(ConfigError) in .failover(try r.decode()) }),
        ])
    }
}

extension HTTPService.LoadBalancer: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        servers = try m.decode("servers")
        passHostHeader = try m.decode("passHostHeader")
        serversTransport = try m.decode("serversTransport")
        sticky = try m.decode("sticky")
        healthCheck = try m.decode("healthCheck")
        passiveHealthCheck = try m.decode("passiveHealthCheck")
        responseForwarding = try m.decode("responseForwarding")
        strategy = try m.decode("strategy")
        try m.finish()
    }
}

extension HTTPService.Strategy: ConfigDecodable, ConfigNullMeansAbsent {
    init(from reader: ConfigReader) throws(ConfigError) {
        self = try reader.decodeEnum(Self.self, what: "load-balancing strategy")
    }
}

extension HTTPService.Server: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        url = try m.decode("url")
        weight = try m.decode("weight")
        preservePath = try m.decode("preservePath")
        try m.finish()
    }
}

extension HTTPService.Sticky: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        cookie = try m.decode("cookie")
        try m.finish()
    }
}

extension HTTPService.Cookie: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        name = try m.decode("name")
        secure = try m.decode("secure")
        httpOnly = try m.decode("httpOnly")
        sameSite = try m.decode("sameSite")
        maxAge = try m.decode("maxAge")
        path = try m.decode("path")
        domain = try m.decode("domain")
        try m.finish()
    }
}

extension HTTPService.HealthCheck: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        scheme = try m.decode("scheme")
        mode = try m.decode("mode")
        path = try m.decode("path")
        method = try m.decode("method")
        status = try m.decode("status")
        port = try m.decode("port")
        interval = try m.decode("interval")
        unhealthyInterval = try m.decode("unhealthyInterval")
        timeout = try m.decode("timeout")
        hostname = try m.decode("hostname")
        followRedirects = try m.decode("followRedirects")
        headers = try m.decode("headers")
        try m.finish()
    }
}

extension HTTPService.PassiveHealthCheck: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        failureWindow = try m.decode("failureWindow")
        maxFailedAttempts = try m.decode("maxFailedAttempts")
        try m.finish()
    }
}

extension HTTPService.ResponseForwarding: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        flushInterval = try m.decode("flushInterval")
        try m.finish()
    }
}

extension HTTPService.Weighted: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        services = try m.decode("services")
        sticky = try m.decode("sticky")
        healthCheck = try m.decode("healthCheck")
        try m.finish()
    }
}

extension HTTPService.WeightedService: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        name = try m.decode("name")
        weight = try m.decode("weight")
        try m.finish()
    }
}

extension HTTPService.HealthCheckPropagation: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        try reader.keyed().finish()
    }
}

extension HTTPService.Mirroring: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        service = try m.decode("service")
        mirrorBody = try m.decode("mirrorBody")
        maxBodySize = try m.decode("maxBodySize")
        mirrors = try m.decode("mirrors")
        healthCheck = try m.decode("healthCheck")
        try m.finish()
    }
}

extension HTTPService.Mirror: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        name = try m.decode("name")
        percent = try m.decode("percent")
        try m.finish()
    }
}

extension HTTPService.Failover: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        service = try m.decode("service")
        fallback = try m.decode("fallback")
        healthCheck = try m.decode("healthCheck")
        try m.finish()
    }
}
