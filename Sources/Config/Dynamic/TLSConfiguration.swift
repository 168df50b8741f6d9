/// The `tls` section of the dynamic configuration: certificates, named TLS options and stores.
public struct TLSConfiguration: Sendable, Equatable {
    /// `tls.certificates[]`: certificates served by SNI.
    public var certificates: [Certificate] = []
    /// `tls.options.<name>`; a router without `tls.options` uses `default`.
    public var options: [String: Options] = [:]
    /// `tls.stores.<name>`; only `default` is used.
    public var stores: [String: Store] = [:]

    /// Nothing set.
    public init() {}

    /// Whether nothing is defined.
    public var isEmpty: Bool { certificates.isEmpty && options.isEmpty && stores.isEmpty }

    /// `tls.certificates[]`.
    public struct Certificate: Sendable, Equatable {
        /// Certificate chain: path or inline PEM.
        public var certFile: FileOrContent?
        /// Private key: path or inline PEM.
        public var keyFile: FileOrContent?
        /// Stores the certificate belongs to. Default `["default"]`.
        public var stores: [String]?

        /// Nothing set.
        public init() {}

        /// A certificate from two paths or PEM strings.
        public init(certFile: FileOrContent, keyFile: FileOrContent, stores: [String]? = nil) {
            self.certFile = certFile
            self.keyFile = keyFile
            self.stores = stores
        }
    }

    /// `tls.options.<name>`.
    public struct Options: Sendable, Equatable {
        /// `VersionTLS10`, `VersionTLS11`, `VersionTLS12` (default) or `VersionTLS13`.
        public var minVersion: String?
        /// Highest version offered. Default: the highest supported.
        public var maxVersion: String?
        /// Cipher suites for TLS ≤ 1.2, by Go name (e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`).
        public var cipherSuites: [String]?
        /// Curves by Go name (`CurveP256`, `X25519`, …).
        public var curvePreferences: [String]?
        /// Client certificate authentication.
        public var clientAuth: ClientAuth?
        /// Refuse connections whose SNI matches no certificate. Default false.
        public var sniStrict: Bool?
        /// ALPN protocols offered. Default `h2`, `http/1.1`, `acme-tls/1`.
        public var alpnProtocols: [String]?
        /// Deprecated, ignored by Go since 1.18.
        public var preferServerCipherSuites: Bool?
        /// Disable session tickets. Default false.
        public var disableSessionTickets: Bool?

        /// Nothing set.
        public init() {}

        /// The TLS versions accepted in ``minVersion`` and ``maxVersion``.
        public static let knownVersions = ["VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13"]
        /// ``minVersion`` or `VersionTLS12`.
        public var effectiveMinVersion: String { minVersion ?? "VersionTLS12" }
    }

    /// `tls.options.<name>.clientAuth`.
    public struct ClientAuth: Sendable, Equatable {
        /// CA certificates (paths or PEM) client certificates are verified against.
        public var caFiles: [FileOrContent]?
        /// `NoClientCert` (default), `RequestClientCert`, `RequireAnyClientCert`,
        /// `VerifyClientCertIfGiven` or `RequireAndVerifyClientCert`.
        public var clientAuthType: String?

        /// Nothing set.
        public init() {}

        /// The accepted ``clientAuthType`` values.
        public static let knownTypes = [
            "NoClientCert", "RequestClientCert", "RequireAnyClientCert",
            "VerifyClientCertIfGiven", "RequireAndVerifyClientCert",
        ]
    }

    /// `tls.stores.<name>`.
    public struct Store: Sendable, Equatable {
        /// Served when no certificate matches the SNI.
        public var defaultCertificate: CertificatePair?
        /// Obtain the default certificate from a resolver instead.
        public var defaultGeneratedCert: GeneratedCert?

        /// Nothing set.
        public init() {}
    }

    /// `tls.stores.<name>.defaultGeneratedCert`.
    public struct GeneratedCert: Sendable, Equatable {
        /// Certificate resolver name.
        public var resolver: String?
        /// The names of the certificate.
        public var domain: Domain?

        /// Nothing set.
        public init() {}
    }
}

extension TLSConfiguration: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        certificates = try m.decode("certificates") ?? []
        options = try m.decode("options") ?? [:]
        stores = try m.decode("stores") ?? [:]
        try m.finish()
    }
}

extension TLSConfiguration.Certificate: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        certFile = try m.decode("certFile")
        keyFile = try m.decode("keyFile")
        stores = try m.decode("stores")
        try m.finish()
    }
}

extension TLSConfiguration.Options: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        minVersion = try m.decode("minVersion")
        maxVersion = try m.decode("maxVersion")
        cipherSuites = try m.decode("cipherSuites")
        curvePreferences = try m.decode("curvePreferences")
        clientAuth = try m.decode("clientAuth")
        sniStrict = try m.decode("sniStrict")
        alpnProtocols = try m.decode("alpnProtocols")
        preferServerCipherSuites = try m.decode("preferServerCipherSuites")
        disableSessionTickets = try m.decode("disableSessionTickets")
        for key in ["minVersion", "maxVersion"] {
            if let child = m.child(key), let value: String = try? child.decode(),
               !Self.knownVersions.contains(value) {
                throw child.error(.invalidValue, "unknown TLS version \"\(value)\"; expected one of \(Self.knownVersions.joined(separator: ", "))")
            }
        }
        try m.finish()
    }
}

extension TLSConfiguration.ClientAuth: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        caFiles = try m.decode("caFiles")
        clientAuthType = try m.decode("clientAuthType")
        if let child = m.child("clientAuthType"), let value = clientAuthType, !Self.knownTypes.contains(value) {
            throw child.error(.invalidValue, "unknown clientAuthType \"\(value)\"; expected one of \(Self.knownTypes.joined(separator: ", "))")
        }
        try m.finish()
    }
}

extension TLSConfiguration.Store: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        defaultCertificate = try m.decode("defaultCertificate")
        defaultGeneratedCert = try m.decode("defaultGeneratedCert")
        try m.finish()
    }
}

extension TLSConfiguration.GeneratedCert: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        resolver = try m.decode("resolver")
        domain = try m.decode("domain")
        try m.finish()
    }
}
