extension Middleware {
    /// `ipAllowList`: allow only clients from given ranges.
    public struct IPAllowList: Sendable, Equatable {
        /// Allowed IPs and CIDR ranges.
        public var sourceRange: [String]?
        /// How the client IP is found (remote address or `X-Forwarded-For`).
        public var ipStrategy: IPStrategy?
        /// Status for rejected requests. Default 403.
        public var rejectStatusCode: Int?

        /// Nothing set.
        public init() {}

        /// ``rejectStatusCode`` or 403.
        public var effectiveRejectStatusCode: Int { rejectStatusCode ?? 403 }
    }

    /// `ipStrategy`: how the client IP is chosen. Absent means the connection's remote address.
    public struct IPStrategy: Sendable, Equatable {
        /// Take the n-th address from the right of `X-Forwarded-For` (1 = rightmost).
        public var depth: Int?
        /// Take the rightmost `X-Forwarded-For` address not in these ranges.
        public var excludedIPs: [String]?
        /// Group IPv6 clients by this prefix length.
        public var ipv6Subnet: Int?

        /// Nothing set.
        public init() {}
    }

    /// `sourceCriterion`: what requests are grouped by for rate and in-flight limits.
    /// Absent means the client IP (remote address).
    public struct SourceCriterion: Sendable, Equatable {
        /// Group by client IP, found this way.
        public var ipStrategy: IPStrategy?
        /// Group by the value of this request header.
        public var requestHeaderName: String?
        /// Group by request host.
        public var requestHost: Bool?

        /// Nothing set.
        public init() {}
    }

    /// `rateLimit`: token bucket per source.
    public struct RateLimit: Sendable, Equatable {
        /// Allowed requests per ``period`` on average. 0 means no limit.
        public var average: Int64?
        /// The period ``average`` is counted over. Default 1s.
        public var period: ConfigDuration?
        /// Bucket size: requests allowed in a burst. Default 1.
        public var burst: Int64?
        /// What requests are grouped by.
        public var sourceCriterion: SourceCriterion?
        /// Redis-backed distributed limiting, kept as written (not supported yet).
        public var redis: ConfigValue?

        /// Nothing set.
        public init() {}

        /// ``period`` or 1s.
        public var effectivePeriod: ConfigDuration { period ?? .seconds(1) }
        /// ``burst`` or 1.
        public var effectiveBurst: Int64 { burst ?? 1 }
    }

    /// `inFlightReq`: limit simultaneous requests per source.
    public struct InFlightReq: Sendable, Equatable {
        /// Maximum simultaneous requests.
        public var amount: Int64?
        /// What requests are grouped by.
        public var sourceCriterion: SourceCriterion?

        /// Nothing set.
        public init() {}
    }

    /// `basicAuth`.
    public struct BasicAuth: Sendable, Equatable {
        /// `user:hash` entries (htpasswd: bcrypt, MD5 `$apr1$`, SHA1).
        public var users: [String]?
        /// A htpasswd file, merged with ``users``.
        public var usersFile: String?
        /// Realm. Default `traefik`.
        public var realm: String?
        /// Remove the `Authorization` header before forwarding. Default false.
        public var removeHeader: Bool?
        /// Forward the authenticated user name in this header.
        public var headerField: String?

        /// Nothing set.
        public init() {}

        /// ``realm`` or `traefik`.
        public var effectiveRealm: String { realm ?? "traefik" }
    }

    /// `digestAuth`.
    public struct DigestAuth: Sendable, Equatable {
        /// `user:realm:hash` entries (htdigest).
        public var users: [String]?
        /// A htdigest file, merged with ``users``.
        public var usersFile: String?
        /// Realm. Default `traefik`.
        public var realm: String?
        /// Remove the `Authorization` header before forwarding. Default false.
        public var removeHeader: Bool?
        /// Forward the authenticated user name in this header.
        public var headerField: String?

        /// Nothing set.
        public init() {}

        /// ``realm`` or `traefik`.
        public var effectiveRealm: String { realm ?? "traefik" }
    }

    /// `forwardAuth`: ask an external service whether to let the request through.
    public struct ForwardAuth: Sendable, Equatable {
        /// The authentication service URL.
        public var address: String?
        /// TLS to the authentication service.
        public var tls: ClientTLS?
        /// Trust existing `X-Forwarded-*` headers. Default false.
        public var trustForwardHeader: Bool?
        /// Headers copied from the auth response to the request.
        public var authResponseHeaders: [String]?
        /// Headers matching this expression are copied from the auth response.
        public var authResponseHeadersRegex: String?
        /// Request headers sent to the auth service; absent means all.
        public var authRequestHeaders: [String]?
        /// Cookies copied from the auth response to the client response.
        public var addAuthCookiesToResponse: [String]?
        /// Maximum body forwarded with ``forwardBody``. Default -1 (no limit).
        public var maxBodySize: Int64?
        /// Send the request body to the auth service. Default false.
        public var forwardBody: Bool?
        /// Keep a relative `Location` header from the auth service as is. Default false.
        public var preserveLocationHeader: Bool?
        /// Use the request's method for the auth call instead of GET. Default false.
        public var preserveRequestMethod: Bool?
        /// Forward the authenticated user (from the auth response) in this header.
        public var headerField: String?

        /// Nothing set.
        public init() {}
    }

    /// TLS client options (forwardAuth).
    public struct ClientTLS: Sendable, Equatable {
        /// CA certificate (path or PEM) to verify the server with.
        public var ca: FileOrContent?
        /// Client certificate (path or PEM).
        public var cert: FileOrContent?
        /// Client key (path or PEM).
        public var key: FileOrContent?
        /// Skip verification of the server's certificate. Default false.
        public var insecureSkipVerify: Bool?
        /// Deprecated: do not require a CA.
        public var caOptional: Bool?

        /// Nothing set.
        public init() {}
    }

    /// `passTLSClientCert`: pass the client certificate to the backend in headers.
    public struct PassTLSClientCert: Sendable, Equatable {
        /// Pass the whole certificate (PEM, URL-escaped) in `X-Forwarded-Tls-Client-Cert`.
        public var pem: Bool?
        /// Pass selected fields in `X-Forwarded-Tls-Client-Cert-Info`.
        public var info: CertInfo?

        /// Nothing set.
        public init() {}
    }

    /// `passTLSClientCert.info`: which certificate fields to pass.
    public struct CertInfo: Sendable, Equatable {
        /// Include `notAfter`.
        public var notAfter: Bool?
        /// Include `notBefore`.
        public var notBefore: Bool?
        /// Include `sans`.
        public var sans: Bool?
        /// Include `serialNumber`.
        public var serialNumber: Bool?
        /// Subject fields.
        public var subject: DistinguishedName?
        /// Issuer fields.
        public var issuer: DistinguishedName?

        /// Nothing set.
        public init() {}
    }

    /// Subject or issuer fields to pass.
    public struct DistinguishedName: Sendable, Equatable {
        /// Include `country`.
        public var country: Bool?
        /// Include `province`.
        public var province: Bool?
        /// Include `locality`.
        public var locality: Bool?
        /// Include `organization`.
        public var organization: Bool?
        /// Subject only.
        public var organizationalUnit: Bool?
        /// Include `commonName`.
        public var commonName: Bool?
        /// Include `serialNumber`.
        public var serialNumber: Bool?
        /// Include `domainComponent`.
        public var domainComponent: Bool?

        /// Nothing set.
        public init() {}
    }
}

extension Middleware.IPAllowList: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        sourceRange = try m.decode("sourceRange")
        ipStrategy = try m.decode("ipStrategy")
        rejectStatusCode = try m.decode("rejectStatusCode")
        try m.finish()
    }
}

extension Middleware.IPStrategy: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        depth = try m.decode("depth")
        excludedIPs = try m.decode("excludedIPs")
        ipv6Subnet = try m.decode("ipv6Subnet")
        try m.finish()
    }
}

extension Middleware.SourceCriterion: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        ipStrategy = try m.decode("ipStrategy")
        requestHeaderName = try m.decode("requestHeaderName")
        requestHost = try m.decode("requestHost")
        try m.finish()
    }
}

extension Middleware.RateLimit: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        average = try m.decode("average")
        period = try m.decode("period")
        burst = try m.decode("burst")
        sourceCriterion = try m.decode("sourceCriterion")
        redis = try m.decode("redis")
        try m.finish()
    }
}

extension Middleware.InFlightReq: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        amount = try m.decode("amount")
        sourceCriterion = try m.decode("sourceCriterion")
        try m.finish()
    }
}

extension Middleware.BasicAuth: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        users = try m.decode("users")
        usersFile = try m.decode("usersFile")
        realm = try m.decode("realm")
        removeHeader = try m.decode("removeHeader")
        headerField = try m.decode("headerField")
        try m.finish()
    }
}

extension Middleware.DigestAuth: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        users = try m.decode("users")
        usersFile = try m.decode("usersFile")
        realm = try m.decode("realm")
        removeHeader = try m.decode("removeHeader")
        headerField = try m.decode("headerField")
        try m.finish()
    }
}

extension Middleware.ForwardAuth: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        address = try m.decode("address")
        tls = try m.decode("tls")
        trustForwardHeader = try m.decode("trustForwardHeader")
        authResponseHeaders = try m.decode("authResponseHeaders")
        authResponseHeadersRegex = try m.decode("authResponseHeadersRegex")
        authRequestHeaders = try m.decode("authRequestHeaders")
        addAuthCookiesToResponse = try m.decode("addAuthCookiesToResponse")
        maxBodySize = try m.decode("maxBodySize")
        forwardBody = try m.decode("forwardBody")
        preserveLocationHeader = try m.decode("preserveLocationHeader")
        preserveRequestMethod = try m.decode("preserveRequestMethod")
        headerField = try m.decode("headerField")
        try m.finish()
    }
}

extension Middleware.ClientTLS: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        ca = try m.decode("ca")
        cert = try m.decode("cert")
        key = try m.decode("key")
        insecureSkipVerify = try m.decode("insecureSkipVerify")
        caOptional = try m.decode("caOptional")
        try m.finish()
    }
}

extension Middleware.PassTLSClientCert: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        pem = try m.decode("pem")
        info = try m.decode("info")
        try m.finish()
    }
}

extension Middleware.CertInfo: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        notAfter = try m.decode("notAfter")
        notBefore = try m.decode("notBefore")
        sans = try m.decode("sans")
        serialNumber = try m.decode("serialNumber")
        subject = try m.decode("subject")
        issuer = try m.decode("issuer")
        try m.finish()
    }
}

extension Middleware.DistinguishedName: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        country = try m.decode("country")
        province = try m.decode("province")
        locality = try m.decode("locality")
        organization = try m.decode("organization")
        organizationalUnit = try m.decode("organizationalUnit")
        commonName = try m.decode("commonName")
        serialNumber = try m.decode("serialNumber")
        domainComponent = try m.decode("domainComponent")
        try m.finish()
    }
}
