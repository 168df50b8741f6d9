/// `http.routers.<name>`: which requests go to which service, through which middlewares.
public struct HTTPRouter: Sendable, Equatable {
    /// The matching rule, e.g. ``Host(`example.com`) && PathPrefix(`/api`)``. Required.
    public var rule: String?
    /// `v3` (default) or `v2`.
    public var ruleSyntax: String?
    /// Entry points the router listens on; absent means the default entry points.
    public var entryPoints: [String]?
    /// The service requests are sent to (`name` or `name@provider`). Required.
    public var service: String?
    /// Priority; absent or 0 means the rule's length.
    public var priority: Int?
    /// Middlewares applied in order (`name` or `name@provider`).
    public var middlewares: [String]?
    /// TLS: present (even `tls: {}`) means the router serves HTTPS only.
    public var tls: RouterTLS?
    /// Per-router switches for access logs, metrics and tracing.
    public var observability: RouterObservability?

    /// Nothing set.
    public init() {}

    /// A router with a rule and a service.
    public init(rule: String, service: String, entryPoints: [String]? = nil) {
        self.rule = rule
        self.service = service
        self.entryPoints = entryPoints
    }
}

/// A router's `tls` section (HTTP and TCP routers share it; ``passthrough`` is TCP only).
public struct RouterTLS: Sendable, Equatable {
    /// TCP routers only: forward the TLS bytes to the backend without terminating. Default false.
    public var passthrough: Bool?
    /// Name of the TLS options (`tls.options.<name>`). Absent means `default`.
    public var options: String?
    /// Certificate resolver that obtains certificates for the router's names.
    public var certResolver: String?
    /// Names to obtain certificates for, instead of the names in the rule.
    public var domains: [Domain]?

    /// Nothing set (`tls: {}`).
    public init() {}
}

/// A router's `observability` section.
public struct RouterObservability: Sendable, Equatable {
    /// Whether requests are access-logged. Default: the entry point's setting.
    public var accessLogs: Bool?
    /// Whether metrics are recorded. Default: the entry point's setting.
    public var metrics: Bool?
    /// Whether requests are traced. Default: the entry point's setting.
    public var tracing: Bool?
    /// Tracing detail: `minimal` or `detailed`.
    public var traceVerbosity: String?

    /// Nothing set.
    public init() {}
}

extension HTTPRouter: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        rule = try m.decode("rule")
        ruleSyntax = try m.decode("ruleSyntax")
        entryPoints = try m.decode("entryPoints")
        service = try m.decode("service")
        priority = try m.decode("priority")
        middlewares = try m.decode("middlewares")
        tls = try m.decode("tls")
        observability = try m.decode("observability")
        if let child = m.child("tls"), tls?.passthrough != nil {
            throw child.error(.invalidValue, "\"passthrough\" is for TCP routers only")
        }
        try m.finish()
    }
}

extension RouterTLS: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        passthrough = try m.decode("passthrough")
        options = try m.decode("options")
        certResolver = try m.decode("certResolver")
        domains = try m.decode("domains")
        try m.finish()
    }
}

extension RouterObservability: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        accessLogs = try m.decode("accessLogs")
        metrics = try m.decode("metrics")
        tracing = try m.decode("tracing")
        traceVerbosity = try m.decode("traceVerbosity")
        try m.finish()
    }
}
