/// One entry point of the static configuration (`entryPoints.<name>`): a listening address
/// and what happens to connections accepted on it.
public struct EntryPoint: Sendable, Equatable {
    /// The address to listen on: `:80`, `127.0.0.1:8443`, `[::]:443`, `:5353/udp`.
    /// See ``parsedAddress``.
    public var address: String = ""
    /// Whether routers that name no entry points attach to this one. When no entry point sets it,
    /// routers without entry points attach to all (TCP) entry points.
    public var asDefault: Bool?
    /// HTTP options: redirections, default middlewares, default TLS.
    public var http: HTTPOptions?
    /// HTTP/2 options.
    public var http2: HTTP2Options?
    /// HTTP/3 options; present means HTTP/3 is enabled.
    public var http3: HTTP3Options?
    /// UDP options.
    public var udp: UDPOptions?
    /// Which peers' `X-Forwarded-*` headers to trust.
    public var forwardedHeaders: ForwardedHeaders?
    /// Which peers may send a PROXY protocol header.
    public var proxyProtocol: ProxyProtocol?
    /// Timeouts and connection life cycle.
    public var transport: Transport?
    /// Per-entry-point default for access logs, metrics and tracing.
    public var observability: Observability?
    /// Whether to set `SO_REUSEPORT` on the listener.
    public var reusePort: Bool?
    /// Whether ACME challenge routes may be bypassed by user routers (Traefik 3.2+).
    public var allowACMEByPass: Bool?

    /// An entry point with nothing set.
    public init() {}

    /// An entry point on `address`.
    public init(address: String) {
        self.address = address
    }

    /// The address, parsed.
    ///
    /// - Throws: ``ConfigError`` for addresses that are not `[host]:port[/tcp|/udp]`.
    public var parsedAddress: EntryPointAddress {
        get throws(ConfigError) { try EntryPointAddress(parsing: address) }
    }

    /// `transport.respondingTimeouts.readTimeout`, default 60s. Zero means no limit.
    public var readTimeout: ConfigDuration {
        transport?.respondingTimeouts?.effectiveReadTimeout ?? RespondingTimeouts.defaultReadTimeout
    }
    /// `transport.respondingTimeouts.writeTimeout`, default 0 (no limit).
    public var writeTimeout: ConfigDuration {
        transport?.respondingTimeouts?.effectiveWriteTimeout ?? RespondingTimeouts.defaultWriteTimeout
    }
    /// `transport.respondingTimeouts.idleTimeout`, default 180s. Zero means no limit.
    public var idleTimeout: ConfigDuration {
        transport?.respondingTimeouts?.effectiveIdleTimeout ?? RespondingTimeouts.defaultIdleTimeout
    }
    /// `transport.lifeCycle.requestAcceptGraceTimeout`, default 0.
    public var requestAcceptGraceTimeout: ConfigDuration {
        transport?.lifeCycle?.effectiveRequestAcceptGraceTimeout ?? LifeCycle.defaultRequestAcceptGraceTimeout
    }
    /// `transport.lifeCycle.graceTimeOut`, default 10s.
    public var graceTimeOut: ConfigDuration {
        transport?.lifeCycle?.effectiveGraceTimeOut ?? LifeCycle.defaultGraceTimeOut
    }
    /// `http.maxHeaderBytes`: the most bytes a request line and its header fields may take
    /// (431 beyond), default 1 MiB as in Traefik.
    public var maxHeaderBytes: Int {
        http?.maxHeaderBytes ?? HTTPOptions.defaultMaxHeaderBytes
    }
    /// `http2.maxConcurrentStreams`, default 250.
    public var maxConcurrentStreams: Int {
        http2?.effectiveMaxConcurrentStreams ?? HTTP2Options.defaultMaxConcurrentStreams
    }

    /// `entryPoints.<name>.http`.
    public struct HTTPOptions: Sendable, Equatable {
        /// Redirect everything arriving here to another entry point.
        public var redirections: Redirections?
        /// Middlewares applied to every router on this entry point, before the router's own.
        public var middlewares: [String]?
        /// Default TLS for every router on this entry point.
        public var tls: TLS?
        /// Whether to encode `;` in query strings (Traefik 3.1+). Default false.
        public var encodeQuerySemicolons: Bool?
        /// Whether to clean `..`, `.` and `//` in request paths. Default true.
        public var sanitizePath: Bool?
        /// Maximum request header size in bytes. Default 1 MiB.
        public var maxHeaderBytes: Int?
        /// Traefik's default `maxHeaderBytes` (Go's `http.DefaultMaxHeaderBytes`).
        public static let defaultMaxHeaderBytes = 1 << 20

        /// Nothing set.
        public init() {}
    }

    /// `entryPoints.<name>.http.redirections`.
    public struct Redirections: Sendable, Equatable {
        /// Redirect to another entry point.
        public var entryPoint: RedirectEntryPoint?

        /// Nothing set.
        public init() {}
    }

    /// `entryPoints.<name>.http.redirections.entryPoint`.
    public struct RedirectEntryPoint: Sendable, Equatable {
        /// The target entry point name, or a port such as `:443`.
        public var to: String?
        /// The scheme to redirect to. Default `https`; see ``effectiveScheme``.
        public var scheme: String?
        /// Whether the redirection is permanent (308/301) rather than temporary. Default true.
        public var permanent: Bool?
        /// The priority of the generated catch-all router. Default `Int.max - 1` (as Traefik).
        public var priority: Int?

        /// Nothing set.
        public init() {}

        /// Traefik's default scheme.
        public static let defaultScheme = "https"
        /// Traefik's default priority (`math.MaxInt - 1`).
        public static let defaultPriority = Int.max - 1

        /// ``scheme`` or `https`.
        public var effectiveScheme: String { scheme ?? Self.defaultScheme }
        /// ``permanent`` or true.
        public var effectivePermanent: Bool { permanent ?? true }
        /// ``priority`` or `Int.max - 1`.
        public var effectivePriority: Int { priority ?? Self.defaultPriority }
    }

    /// `entryPoints.<name>.http.tls`: TLS for every router on the entry point.
    public struct TLS: Sendable, Equatable {
        /// Name of the TLS options (`tls.options.<name>`). Default `default`.
        public var options: String?
        /// Certificate resolver for the routers' domains.
        public var certResolver: String?
        /// Domains to obtain certificates for.
        public var domains: [Domain]?

        /// Nothing set.
        public init() {}
    }

    /// `entryPoints.<name>.http2`.
    public struct HTTP2Options: Sendable, Equatable {
        /// Maximum concurrent streams per connection. Default 250.
        public var maxConcurrentStreams: Int?

        /// Nothing set.
        public init() {}

        /// Traefik's default.
        public static let defaultMaxConcurrentStreams = 250
        /// ``maxConcurrentStreams`` or 250.
        public var effectiveMaxConcurrentStreams: Int { maxConcurrentStreams ?? Self.defaultMaxConcurrentStreams }
    }

    /// `entryPoints.<name>.http3`.
    public struct HTTP3Options: Sendable, Equatable {
        /// The UDP port advertised in `Alt-Svc`, when it differs from the entry point's.
        public var advertisedPort: Int?

        /// Nothing set.
        public init() {}
    }

    /// `entryPoints.<name>.udp`.
    public struct UDPOptions: Sendable, Equatable {
        /// How long an idle UDP session lives. Default 3s.
        public var timeout: ConfigDuration?

        /// Nothing set.
        public init() {}

        /// ``timeout`` or 3s.
        public var effectiveTimeout: ConfigDuration { timeout ?? .seconds(3) }
    }

    /// `entryPoints.<name>.forwardedHeaders`.
    public struct ForwardedHeaders: Sendable, Equatable {
        /// Peers (IPs or CIDRs) whose `X-Forwarded-*` headers are trusted.
        public var trustedIPs: [String]?
        /// Trust every peer's `X-Forwarded-*` headers. Default false.
        public var insecure: Bool?
        /// Headers listed in `Connection` that are kept (Traefik 3.3+).
        public var connection: [String]?

        /// Nothing set.
        public init() {}
    }

    /// `entryPoints.<name>.proxyProtocol`.
    public struct ProxyProtocol: Sendable, Equatable {
        /// Peers (IPs or CIDRs) allowed to send a PROXY protocol header.
        public var trustedIPs: [String]?
        /// Accept PROXY protocol headers from every peer. Default false.
        public var insecure: Bool?

        /// Nothing set.
        public init() {}
    }

    /// `entryPoints.<name>.transport`.
    public struct Transport: Sendable, Equatable {
        /// Read, write and idle timeouts for client connections.
        public var respondingTimeouts: RespondingTimeouts?
        /// Graceful shutdown timing.
        public var lifeCycle: LifeCycle?
        /// Close a keep-alive connection after this many requests. 0 or absent: no limit.
        public var keepAliveMaxRequests: Int?
        /// Close a keep-alive connection after this long. 0 or absent: no limit.
        public var keepAliveMaxTime: ConfigDuration?

        /// Nothing set.
        public init() {}
    }

    /// `entryPoints.<name>.transport.respondingTimeouts`.
    public struct RespondingTimeouts: Sendable, Equatable {
        /// Maximum time to read a whole request, body included. Default 60s; 0 means no limit.
        public var readTimeout: ConfigDuration?
        /// Maximum time to write a response. Default 0 (no limit).
        public var writeTimeout: ConfigDuration?
        /// Maximum time a keep-alive connection may stay idle. Default 180s; 0 means no limit.
        public var idleTimeout: ConfigDuration?

        /// Nothing set.
        public init() {}

        /// Traefik's defaults.
        public static let defaultReadTimeout = ConfigDuration.seconds(60)
        public static let defaultWriteTimeout = ConfigDuration.zero
        public static let defaultIdleTimeout = ConfigDuration.seconds(180)

        /// ``readTimeout`` or 60s.
        public var effectiveReadTimeout: ConfigDuration { readTimeout ?? Self.defaultReadTimeout }
        /// ``writeTimeout`` or 0.
        public var effectiveWriteTimeout: ConfigDuration { writeTimeout ?? Self.defaultWriteTimeout }
        /// ``idleTimeout`` or 180s.
        public var effectiveIdleTimeout: ConfigDuration { idleTimeout ?? Self.defaultIdleTimeout }
    }

    /// `entryPoints.<name>.transport.lifeCycle`.
    public struct LifeCycle: Sendable, Equatable {
        /// How long to keep accepting requests after shutdown begins. Default 0.
        public var requestAcceptGraceTimeout: ConfigDuration?
        /// How long in-flight requests may finish after the listener closes. Default 10s.
        public var graceTimeOut: ConfigDuration?

        /// Nothing set.
        public init() {}

        /// Traefik's defaults.
        public static let defaultRequestAcceptGraceTimeout = ConfigDuration.zero
        public static let defaultGraceTimeOut = ConfigDuration.seconds(10)

        /// ``requestAcceptGraceTimeout`` or 0.
        public var effectiveRequestAcceptGraceTimeout: ConfigDuration {
            requestAcceptGraceTimeout ?? Self.defaultRequestAcceptGraceTimeout
        }
        /// ``graceTimeOut`` or 10s.
        public var effectiveGraceTimeOut: ConfigDuration { graceTimeOut ?? Self.defaultGraceTimeOut }
    }

    /// `entryPoints.<name>.observability`.
    public struct Observability: Sendable, Equatable {
        /// Whether requests on this entry point are access-logged. Default true.
        public var accessLogs: Bool?
        /// Whether metrics are recorded. Default true.
        public var metrics: Bool?
        /// Whether requests are traced. Default true.
        public var tracing: Bool?
        /// Tracing detail: `minimal` or `detailed` (Traefik 3.5+).
        public var traceVerbosity: String?

        /// Nothing set.
        public init() {}
    }
}

// MARK: - Decoding

extension EntryPoint: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        var givenAddress: String?
        if let child = m.child("address") {
            let text: String = try child.decode()
            givenAddress = text
            do {
                _ = try EntryPointAddress(parsing: text)
            } catch {
                var located = error
                located.file = child.context.fileName
                located.line = child.line
                located.keyPath = child.path.description
                throw located
            }
        }
        asDefault = try m.decode("asDefault")
        http = try m.decode("http")
        http2 = try m.decode("http2")
        http3 = try m.decode("http3")
        udp = try m.decode("udp")
        forwardedHeaders = try m.decode("forwardedHeaders")
        proxyProtocol = try m.decode("proxyProtocol")
        transport = try m.decode("transport")
        observability = try m.decode("observability")
        reusePort = try m.decode("reusePort")
        allowACMEByPass = try m.decode("allowACMEByPass")
        // Unknown keys first: a misspelt "adress" is reported as such, not as a missing address.
        try m.finish()
        guard let givenAddress else {
            throw reader.error(.missingValue, "missing required key \"address\"")
        }
        address = givenAddress
    }
}

extension EntryPoint.HTTPOptions: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        redirections = try m.decode("redirections")
        middlewares = try m.decode("middlewares")
        tls = try m.decode("tls")
        encodeQuerySemicolons = try m.decode("encodeQuerySemicolons")
        sanitizePath = try m.decode("sanitizePath")
        maxHeaderBytes = try m.decode("maxHeaderBytes")
        try m.finish()
    }
}

extension EntryPoint.Redirections: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        entryPoint = try m.decode("entryPoint")
        try m.finish()
    }
}

extension EntryPoint.RedirectEntryPoint: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        to = try m.decode("to")
        scheme = try m.decode("scheme")
        permanent = try m.decode("permanent")
        priority = try m.decode("priority")
        try m.finish()
    }
}

extension EntryPoint.TLS: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        options = try m.decode("options")
        certResolver = try m.decode("certResolver")
        domains = try m.decode("domains")
        try m.finish()
    }
}

extension EntryPoint.HTTP2Options: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        maxConcurrentStreams = try m.decode("maxConcurrentStreams")
        try m.finish()
    }
}

extension EntryPoint.HTTP3Options: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        advertisedPort = try m.decode("advertisedPort")
        try m.finish()
    }
}

extension EntryPoint.UDPOptions: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        timeout = try m.decode("timeout")
        try m.finish()
    }
}

extension EntryPoint.ForwardedHeaders: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        trustedIPs = try m.decode("trustedIPs")
        insecure = try m.decode("insecure")
        connection = try m.decode("connection")
        try m.finish()
    }
}

extension EntryPoint.ProxyProtocol: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        trustedIPs = try m.decode("trustedIPs")
        insecure = try m.decode("insecure")
        try m.finish()
    }
}

extension EntryPoint.Transport: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        respondingTimeouts = try m.decode("respondingTimeouts")
        lifeCycle = try m.decode("lifeCycle")
        keepAliveMaxRequests = try m.decode("keepAliveMaxRequests")
        keepAliveMaxTime = try m.decode("keepAliveMaxTime")
        try m.finish()
    }
}

extension EntryPoint.RespondingTimeouts: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        readTimeout = try m.decode("readTimeout")
        writeTimeout = try m.decode("writeTimeout")
        idleTimeout = try m.decode("idleTimeout")
        try m.finish()
    }
}

extension EntryPoint.LifeCycle: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        requestAcceptGraceTimeout = try m.decode("requestAcceptGraceTimeout")
        graceTimeOut = try m.decode("graceTimeOut")
        try m.finish()
    }
}

extension EntryPoint.Observability: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        accessLogs = try m.decode("accessLogs")
        metrics = try m.decode("metrics")
        tracing = try m.decode("tracing")
        traceVerbosity = try m.decode("traceVerbosity")
        try m.finish()
    }
}
