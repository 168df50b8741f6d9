/// `api`: the dashboard and API. Present (even as `api: {}`) means enabled.
public struct API: Sendable, Equatable {
    /// Serve the API on the `traefik` entry point without a router. Default false.
    public var insecure: Bool?
    /// Serve the dashboard. Default true.
    public var dashboard: Bool?
    /// Enable debug endpoints. Default false.
    public var debug: Bool?
    /// Path prefix for the API and dashboard. Default `/`.
    public var basePath: String?
    /// Hide the dashboard's advertisement panel.
    public var disableDashboardAd: Bool?

    /// Nothing set.
    public init() {}

    /// ``dashboard`` or true.
    public var effectiveDashboard: Bool { dashboard ?? true }
}

/// `ping`: a health endpoint. Present (even as `ping: {}`) means enabled.
public struct Ping: Sendable, Equatable {
    /// The entry point serving `/ping`. Default `traefik`.
    public var entryPoint: String?
    /// Do not create the ping router; the user routes `ping@internal` themselves.
    public var manualRouting: Bool?
    /// Status returned while shutting down. Default 503.
    public var terminatingStatusCode: Int?

    /// Nothing set.
    public init() {}

    /// ``entryPoint`` or `traefik`.
    public var effectiveEntryPoint: String { entryPoint ?? "traefik" }
    /// ``terminatingStatusCode`` or 503.
    public var effectiveTerminatingStatusCode: Int { terminatingStatusCode ?? 503 }
}

/// `global`.
public struct Global: Sendable, Equatable {
    /// Periodically check for a new version (Gatehouse never does).
    public var checkNewVersion: Bool?
    /// Send anonymous usage statistics (Gatehouse never does).
    public var sendAnonymousUsage: Bool?

    /// Nothing set.
    public init() {}
}

/// `core`.
public struct Core: Sendable, Equatable {
    /// Default rule syntax for routers that set none (`v3` or `v2`). Default `v3`.
    public var defaultRuleSyntax: String?

    /// Nothing set.
    public init() {}
}

extension API: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        insecure = try m.decode("insecure")
        dashboard = try m.decode("dashboard")
        debug = try m.decode("debug")
        basePath = try m.decode("basePath")
        disableDashboardAd = try m.decode("disableDashboardAd")
        try m.finish()
    }
}

extension Ping: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        entryPoint = try m.decode("entryPoint")
        manualRouting = try m.decode("manualRouting")
        terminatingStatusCode = try m.decode("terminatingStatusCode")
        try m.finish()
    }
}

extension Global: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        checkNewVersion = try m.decode("checkNewVersion")
        sendAnonymousUsage = try m.decode("sendAnonymousUsage")
        try m.finish()
    }
}

extension Core: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        defaultRuleSyntax = try m.decode("defaultRuleSyntax")
        try m.finish()
    }
}
