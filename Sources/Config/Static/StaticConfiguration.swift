/// Traefik v3's static configuration (`traefik.yml` / `traefik.toml`): entry points,
/// providers, logs, API, certificate resolvers. Read once at start-up.
///
/// Keys match case-insensitively; unknown keys are errors. Sections that are
/// absent are `nil`; defaults are documented on each option and exposed as
/// `effective…` computed properties.
public struct StaticConfiguration: Sendable, Equatable {
    /// `global`.
    public var global: Global?
    /// `core`.
    public var core: Core?
    /// `serversTransport`: defaults for connections to HTTP backends.
    public var serversTransport: ServersTransport?
    /// `tcpServersTransport`: defaults for connections to TCP backends.
    public var tcpServersTransport: TCPServersTransport?
    /// `serversTransports.<name>`: named transports declared in the static file.
    /// Not a Traefik static key; accepted because real files write it (a transport named
    /// `default` then overrides ``serversTransport``'s role).
    public var serversTransports: [String: ServersTransport] = [:]
    /// `entryPoints.<name>`.
    public var entryPoints: [String: EntryPoint] = [:]
    /// `providers`.
    public var providers: Providers?
    /// `api`.
    public var api: API?
    /// `ping`.
    public var ping: Ping?
    /// `log`.
    public var log: Log?
    /// `accessLog`.
    public var accessLog: AccessLog?
    /// `metrics`, kept as written (not interpreted yet).
    public var metrics: ConfigValue?
    /// `tracing`, kept as written (not interpreted).
    public var tracing: ConfigValue?
    /// `experimental`, kept as written (not interpreted).
    public var experimental: ConfigValue?
    /// `certificatesResolvers.<name>`.
    public var certificatesResolvers: [String: CertificatesResolver] = [:]
    /// `dnsServer`: the built-in DNS server for DNS-01 challenges (a Gatehouse key).
    public var dnsServer: DNSServer?
    /// `admin`: the admin API's listener (a Gatehouse key); absent means no admin API.
    public var admin: AdminConfiguration?
    /// `gateway`: the gateway's domain for name proxies (a Gatehouse key).
    public var gateway: GatewaySettings?

    /// An empty configuration: no entry points, no providers.
    public init() {}

    /// The configuration Gatehouse uses when no static file is given:
    ///
    /// - entry point `web` on `:80` and `websecure` on `:443`;
    /// - no providers (routes come from the admin API or a `--providers.file` option);
    /// - log level `INFO`.
    public static var builtinDefault: StaticConfiguration {
        var configuration = StaticConfiguration()
        configuration.entryPoints = [
            "web": EntryPoint(address: ":80"),
            "websecure": EntryPoint(address: ":443"),
        ]
        var log = Log()
        log.level = .info
        configuration.log = log
        return configuration
    }
}

extension StaticConfiguration: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        global = try m.decode("global")
        core = try m.decode("core")
        serversTransport = try m.decode("serversTransport")
        tcpServersTransport = try m.decode("tcpServersTransport")
        serversTransports = try m.decode("serversTransports") ?? [:]
        entryPoints = try m.decode("entryPoints") ?? [:]
        providers = try m.decode("providers")
        api = try m.decode("api")
        ping = try m.decode("ping")
        log = try m.decode("log")
        accessLog = try m.decode("accessLog")
        metrics = try m.decode("metrics")
        tracing = try m.decode("tracing")
        experimental = try m.decode("experimental")
        certificatesResolvers = try m.decode("certificatesResolvers") ?? [:]
        dnsServer = try m.decode("dnsServer")
        admin = try m.decode("admin")
        gateway = try m.decode("gateway")
        m.unsupported(["hub"], reason: "Traefik Hub is not part of Gatehouse")
        m.unsupported(["spiffe"], reason: "SPIFFE workload API is not supported")
        m.unsupported(["ocsp"], reason: "OCSP stapling configuration is not supported yet")
        m.unsupported(["hostResolver", "pilot"], reason: "this Traefik v2 key was removed in Traefik v3")
        if let stray = m.firstUnusedKeyMatching(dynamicTopLevelKeys) {
            throw ConfigError(
                kind: .unknownKey, file: m.context.fileName, line: stray.line,
                keyPath: stray.key,
                message: "\"\(stray.key)\" belongs in a dynamic configuration file, not the static configuration"
            )
        }
        try m.finish()
    }
}

/// Top-level keys of the dynamic configuration, for a better message when they appear in a static file.
let dynamicTopLevelKeys = ["http", "tcp", "udp", "tls"]
