/// `certificatesResolvers.<name>`: how certificates for a resolver's domains are obtained.
public struct CertificatesResolver: Sendable, Equatable {
    /// Obtain certificates with ACME.
    public var acme: ACME?

    /// Nothing set.
    public init() {}

    /// `certificatesResolvers.<name>.acme`.
    public struct ACME: Sendable, Equatable {
        /// Account contact address.
        public var email: String?
        /// The CA's directory URL. Default Let's Encrypt production
        /// (`https://acme-v02.api.letsencrypt.org/directory`).
        public var caServer: String?
        /// Where certificates and the account are stored (Traefik: a JSON file).
        public var storage: String?
        /// Key type for certificate keys: `EC256` (default), `EC384`, `RSA2048`, `RSA4096`.
        public var keyType: String?
        /// External account binding.
        public var eab: EAB?
        /// Expected certificate lifetime in hours, for renewal timing. Default 2160 (90 days).
        public var certificatesDuration: Int?
        /// Preferred chain, by issuer common name.
        public var preferredChain: String?
        /// ACME profile to request (e.g. `tlsserver`, `shortlived`).
        public var profile: String?
        /// Extra CA certificates (paths or PEM) to trust when talking to the CA.
        public var caCertificates: [String]?
        /// Also trust the system's roots when ``caCertificates`` is set.
        public var caSystemCertPool: Bool?
        /// Server name to verify the CA's certificate against.
        public var caServerName: String?
        /// Additional contact addresses (Traefik 3.5+).
        public var emailAddresses: [String]?
        /// Do not put the first domain in the certificate's common name.
        public var disableCommonName: Bool?
        /// Timeout for calls to the CA.
        public var clientTimeout: ConfigDuration?
        /// Timeout for the CA's response headers.
        public var clientResponseHeaderTimeout: ConfigDuration?
        /// Solve HTTP-01 challenges.
        public var httpChallenge: HTTPChallenge?
        /// Solve TLS-ALPN-01 challenges. Present (even as `{}`) means enabled.
        public var tlsChallenge: TLSChallenge?
        /// Solve DNS-01 challenges.
        public var dnsChallenge: DNSChallenge?

        /// Nothing set.
        public init() {}

        /// Let's Encrypt's production directory, Traefik's default CA.
        public static let defaultCAServer = "https://acme-v02.api.letsencrypt.org/directory"
        /// ``caServer`` or Let's Encrypt production.
        public var effectiveCAServer: String { caServer ?? Self.defaultCAServer }
        /// The key types Gatehouse can order certificates with.
        public static let keyTypes = ["EC256", "EC384", "RSA2048", "RSA4096"]
        /// ``keyType`` or `EC256` (P-256 keys: smaller, faster handshakes, accepted everywhere).
        public var effectiveKeyType: String { keyType ?? "EC256" }
        /// ``certificatesDuration`` or 2160 hours.
        public var effectiveCertificatesDuration: Int { certificatesDuration ?? 2160 }
    }

    /// `acme.eab`: external account binding.
    public struct EAB: Sendable, Equatable {
        /// Key identifier from the CA.
        public var kid: String?
        /// Base64url-encoded HMAC key from the CA.
        public var hmacEncoded: String?

        /// Nothing set.
        public init() {}
    }

    /// `acme.httpChallenge`.
    public struct HTTPChallenge: Sendable, Equatable {
        /// The entry point (port 80) answering challenges.
        public var entryPoint: String?
        /// Wait this long before asking the CA to validate (Traefik 3.4+).
        public var delay: ConfigDuration?

        /// Nothing set.
        public init() {}
    }

    /// `acme.tlsChallenge`.
    public struct TLSChallenge: Sendable, Equatable {
        /// Wait this long before asking the CA to validate (Traefik 3.4+).
        public var delay: ConfigDuration?

        /// Nothing set.
        public init() {}
    }
}

extension CertificatesResolver: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        acme = try m.decode("acme")
        m.unsupported(["tailscale"], reason: "Gatehouse has no Tailscale certificate resolver")
        try m.finish()
    }
}

extension CertificatesResolver.ACME: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        email = try m.decode("email")
        caServer = try m.decode("caServer")
        storage = try m.decode("storage")
        keyType = try m.decode("keyType")
        eab = try m.decode("eab")
        certificatesDuration = try m.decode("certificatesDuration")
        preferredChain = try m.decode("preferredChain")
        profile = try m.decode("profile")
        caCertificates = try m.decode("caCertificates")
        caSystemCertPool = try m.decode("caSystemCertPool")
        caServerName = try m.decode("caServerName")
        emailAddresses = try m.decode("emailAddresses")
        disableCommonName = try m.decode("disableCommonName")
        clientTimeout = try m.decode("clientTimeout")
        clientResponseHeaderTimeout = try m.decode("clientResponseHeaderTimeout")
        httpChallenge = try m.decode("httpChallenge")
        tlsChallenge = try m.decode("tlsChallenge")
        dnsChallenge = try m.decode("dnsChallenge")
        try m.finish()
    }
}

extension CertificatesResolver.EAB: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        kid = try m.decode("kid")
        hmacEncoded = try m.decode("hmacEncoded")
        try m.finish()
    }
}

extension CertificatesResolver.HTTPChallenge: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        entryPoint = try m.decode("entryPoint")
        delay = try m.decode("delay")
        try m.finish()
    }
}

extension CertificatesResolver.TLSChallenge: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        delay = try m.decode("delay")
        try m.finish()
    }
}
