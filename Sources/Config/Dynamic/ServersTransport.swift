/// `http.serversTransports.<name>` (and the static `serversTransport`): how Gatehouse
/// connects to HTTP backends.
public struct ServersTransport: Sendable, Equatable {
    /// SNI and verification name for TLS to the backend.
    public var serverName: String?
    /// Client certificates presented to the backend.
    public var certificates: [CertificatePair]?
    /// Skip verification of the backend's certificate. Default false.
    public var insecureSkipVerify: Bool?
    /// CA certificates (paths or PEM) to verify backends with, instead of the system roots.
    public var rootCAs: [FileOrContent]?
    /// Idle connections kept per backend host. Default 200; see ``effectiveMaxIdleConnsPerHost``.
    public var maxIdleConnsPerHost: Int?
    /// Timeouts.
    public var forwardingTimeouts: ForwardingTimeouts?
    /// Never use HTTP/2 to the backend. Default false.
    public var disableHTTP2: Bool?
    /// URI SAN the backend's certificate must carry.
    public var peerCertURI: String?
    /// SPIFFE verification of the backend.
    public var spiffe: SPIFFE?

    /// Nothing set.
    public init() {}

    /// Traefik's default.
    public static let defaultMaxIdleConnsPerHost = 200
    /// ``maxIdleConnsPerHost`` or 200.
    public var effectiveMaxIdleConnsPerHost: Int { maxIdleConnsPerHost ?? Self.defaultMaxIdleConnsPerHost }
    /// ``forwardingTimeouts`` or all defaults.
    public var effectiveForwardingTimeouts: ForwardingTimeouts { forwardingTimeouts ?? ForwardingTimeouts() }

    /// `forwardingTimeouts`.
    public struct ForwardingTimeouts: Sendable, Equatable {
        /// Connect timeout. Default 30s; 0 means no limit.
        public var dialTimeout: ConfigDuration?
        /// Time to wait for response headers after the request is sent. Default 0 (no limit).
        public var responseHeaderTimeout: ConfigDuration?
        /// How long an idle pooled connection is kept. Default 90s; 0 means no limit.
        public var idleConnTimeout: ConfigDuration?
        /// HTTP/2: send a ping after this long without frames. Default 0 (off).
        public var readIdleTimeout: ConfigDuration?
        /// HTTP/2: close the connection if a ping is not answered in this time. Default 15s.
        public var pingTimeout: ConfigDuration?

        /// Nothing set.
        public init() {}

        /// Traefik's defaults.
        public static let defaultDialTimeout = ConfigDuration.seconds(30)
        public static let defaultResponseHeaderTimeout = ConfigDuration.zero
        public static let defaultIdleConnTimeout = ConfigDuration.seconds(90)
        public static let defaultReadIdleTimeout = ConfigDuration.zero
        public static let defaultPingTimeout = ConfigDuration.seconds(15)

        /// ``dialTimeout`` or 30s.
        public var effectiveDialTimeout: ConfigDuration { dialTimeout ?? Self.defaultDialTimeout }
        /// ``responseHeaderTimeout`` or 0 (no limit).
        public var effectiveResponseHeaderTimeout: ConfigDuration { responseHeaderTimeout ?? Self.defaultResponseHeaderTimeout }
        /// ``idleConnTimeout`` or 90s.
        public var effectiveIdleConnTimeout: ConfigDuration { idleConnTimeout ?? Self.defaultIdleConnTimeout }
        /// ``readIdleTimeout`` or 0.
        public var effectiveReadIdleTimeout: ConfigDuration { readIdleTimeout ?? Self.defaultReadIdleTimeout }
        /// ``pingTimeout`` or 15s.
        public var effectivePingTimeout: ConfigDuration { pingTimeout ?? Self.defaultPingTimeout }
    }

    /// `spiffe`.
    public struct SPIFFE: Sendable, Equatable {
        /// Allowed SPIFFE IDs.
        public var ids: [String]?
        /// Allowed trust domain.
        public var trustDomain: String?

        /// Nothing set.
        public init() {}
    }
}

extension ServersTransport: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        serverName = try m.decode("serverName")
        certificates = try m.decode("certificates")
        insecureSkipVerify = try m.decode("insecureSkipVerify")
        rootCAs = try m.decode("rootCAs")
        maxIdleConnsPerHost = try m.decode("maxIdleConnsPerHost")
        forwardingTimeouts = try m.decode("forwardingTimeouts")
        disableHTTP2 = try m.decode("disableHTTP2")
        peerCertURI = try m.decode("peerCertURI")
        spiffe = try m.decode("spiffe")
        try m.finish()
    }
}

extension ServersTransport.ForwardingTimeouts: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        dialTimeout = try m.decode("dialTimeout")
        responseHeaderTimeout = try m.decode("responseHeaderTimeout")
        idleConnTimeout = try m.decode("idleConnTimeout")
        readIdleTimeout = try m.decode("readIdleTimeout")
        pingTimeout = try m.decode("pingTimeout")
        try m.finish()
    }
}

extension ServersTransport.SPIFFE: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        ids = try m.decode("ids")
        trustDomain = try m.decode("trustDomain")
        try m.finish()
    }
}

/// `tcp.serversTransports.<name>` (and the static `tcpServersTransport`): how Gatehouse
/// connects to TCP backends.
public struct TCPServersTransport: Sendable, Equatable {
    /// TCP keep-alive interval. Default 15s; negative disables.
    public var dialKeepAlive: ConfigDuration?
    /// Connect timeout. Default 30s.
    public var dialTimeout: ConfigDuration?
    /// How long to keep a half-closed connection open. Default 100ms.
    public var terminationDelay: ConfigDuration?
    /// PROXY protocol towards the backend.
    public var proxyProtocol: TCPService.ProxyProtocol?
    /// TLS to the backend (for servers with `tls: true`).
    public var tls: TLSClientConfig?

    /// Nothing set.
    public init() {}

    /// ``dialKeepAlive`` or 15s.
    public var effectiveDialKeepAlive: ConfigDuration { dialKeepAlive ?? .seconds(15) }
    /// ``dialTimeout`` or 30s.
    public var effectiveDialTimeout: ConfigDuration { dialTimeout ?? .seconds(30) }
    /// ``terminationDelay`` or 100ms.
    public var effectiveTerminationDelay: ConfigDuration { terminationDelay ?? .milliseconds(100) }

    /// `tcp.serversTransports.<name>.tls`.
    public struct TLSClientConfig: Sendable, Equatable {
        /// SNI and verification name.
        public var serverName: String?
        /// Skip verification of the backend's certificate.
        public var insecureSkipVerify: Bool?
        /// CA certificates (paths or PEM) to verify backends with.
        public var rootCAs: [FileOrContent]?
        /// Client certificates presented to the backend.
        public var certificates: [CertificatePair]?
        /// URI SAN the backend's certificate must carry.
        public var peerCertURI: String?
        /// SPIFFE verification of the backend.
        public var spiffe: ServersTransport.SPIFFE?

        /// Nothing set.
        public init() {}
    }
}

extension TCPServersTransport: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        dialKeepAlive = try m.decode("dialKeepAlive")
        dialTimeout = try m.decode("dialTimeout")
        terminationDelay = try m.decode("terminationDelay")
        proxyProtocol = try m.decode("proxyProtocol")
        tls = try m.decode("tls")
        try m.finish()
    }
}

extension TCPServersTransport.TLSClientConfig: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        serverName = try m.decode("serverName")
        insecureSkipVerify = try m.decode("insecureSkipVerify")
        rootCAs = try m.decode("rootCAs")
        certificates = try m.decode("certificates")
        peerCertURI = try m.decode("peerCertURI")
        spiffe = try m.decode("spiffe")
        try m.finish()
    }
}
