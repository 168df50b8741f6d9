/// Traefik v3's dynamic configuration (file provider shape): routers, services,
/// middlewares and transports for HTTP, TCP and UDP, and TLS certificates and options.
///
/// Plain data: providers produce it, ``validate(entryPointNames:serversTransportNames:certResolverNames:)``
/// checks references, and the runtime builds from it. Keys match case-insensitively
/// when decoding; names (of routers, services, …) are case-sensitive.
public struct DynamicConfiguration: Sendable, Equatable {
    /// `http`.
    public var http = HTTPConfiguration()
    /// `tcp`.
    public var tcp = TCPConfiguration()
    /// `udp`.
    public var udp = UDPConfiguration()
    /// `tls`.
    public var tls = TLSConfiguration()
    /// Which provider each item comes from, when configurations of several providers were
    /// merged (not part of any file: a file's items are all the file provider's).
    public var origins = ItemOrigins()

    /// An empty configuration.
    public init() {}

    /// Whether nothing at all is defined.
    public var isEmpty: Bool { http.isEmpty && tcp.isEmpty && udp.isEmpty && tls.isEmpty }

    /// The provider of the item of `kind` named `name`.
    public func provider(of kind: ConfigItemKind, _ name: String) -> ConfigProvider { origins[kind, name] }

    /// `name@provider` for the item of `kind` named `name`: how logs, metrics, errors and the
    /// admin API name it (``ItemOrigins/qualifiedName(_:_:)``).
    public func qualifiedName(_ kind: ConfigItemKind, _ name: String) -> String { origins.qualifiedName(kind, name) }
}

/// The `http` section of the dynamic configuration.
public struct HTTPConfiguration: Sendable, Equatable {
    /// `http.routers`.
    public var routers: [String: HTTPRouter] = [:]
    /// `http.services`.
    public var services: [String: HTTPService] = [:]
    /// `http.middlewares`.
    public var middlewares: [String: Middleware] = [:]
    /// `http.serversTransports`.
    public var serversTransports: [String: ServersTransport] = [:]

    /// Nothing set.
    public init() {}

    /// Whether no item is defined.
    public var isEmpty: Bool {
        routers.isEmpty && services.isEmpty && middlewares.isEmpty && serversTransports.isEmpty
    }
}

extension DynamicConfiguration: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        http = try m.decode("http") ?? HTTPConfiguration()
        tcp = try m.decode("tcp") ?? TCPConfiguration()
        udp = try m.decode("udp") ?? UDPConfiguration()
        tls = try m.decode("tls") ?? TLSConfiguration()
        if let stray = m.firstUnusedKeyMatching(staticTopLevelKeys) {
            throw ConfigError(
                kind: .unknownKey, file: m.context.fileName, line: stray.line,
                keyPath: stray.key,
                message: "\"\(stray.key)\" belongs in the static configuration, not a dynamic configuration file"
            )
        }
        try m.finish()
    }
}

/// Top-level keys of the static configuration, for a better message when they appear in a dynamic file.
let staticTopLevelKeys = [
    "entryPoints", "providers", "api", "log", "accessLog", "certificatesResolvers", "global",
    "serversTransport", "ping", "metrics", "tracing", "experimental",
]

extension HTTPConfiguration: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        routers = try m.decode("routers") ?? [:]
        services = try m.decode("services") ?? [:]
        middlewares = try m.decode("middlewares") ?? [:]
        serversTransports = try m.decode("serversTransports") ?? [:]
        try m.finish()
    }
}
