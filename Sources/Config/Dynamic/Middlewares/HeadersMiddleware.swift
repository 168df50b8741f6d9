extension Middleware {
    /// `headers`: custom request/response headers, CORS and security headers.
    public struct Headers: Sendable, Equatable {
        /// Headers set on the request; an empty value removes the header.
        public var customRequestHeaders: [String: String]?
        /// Headers set on the response; an empty value removes the header.
        public var customResponseHeaders: [String: String]?
        /// CORS `Access-Control-Allow-Credentials`.
        public var accessControlAllowCredentials: Bool?
        /// CORS `Access-Control-Allow-Headers`.
        public var accessControlAllowHeaders: [String]?
        /// CORS `Access-Control-Allow-Methods`.
        public var accessControlAllowMethods: [String]?
        /// CORS allowed origins (`*` for any).
        public var accessControlAllowOriginList: [String]?
        /// CORS allowed origins, as regular expressions.
        public var accessControlAllowOriginListRegex: [String]?
        /// CORS `Access-Control-Expose-Headers`.
        public var accessControlExposeHeaders: [String]?
        /// CORS `Access-Control-Max-Age`, seconds.
        public var accessControlMaxAge: Int64?
        /// Add `Vary: Origin` when the allowed origin is not `*`.
        public var addVaryHeader: Bool?
        /// Allowed `Host` values; others get 400.
        public var allowedHosts: [String]?
        /// Headers that may carry the original host (e.g. `X-Forwarded-Host`).
        public var hostsProxyHeaders: [String]?
        /// Header/value pairs meaning the request was HTTPS (e.g. `X-Forwarded-Proto: https`).
        public var sslProxyHeaders: [String: String]?
        /// `Strict-Transport-Security` max-age; 0 means no header.
        public var stsSeconds: Int64?
        /// Add `includeSubDomains` to the STS header.
        public var stsIncludeSubdomains: Bool?
        /// Add `preload` to the STS header.
        public var stsPreload: Bool?
        /// Send the STS header on plain HTTP too.
        public var forceSTSHeader: Bool?
        /// `X-Frame-Options: DENY`.
        public var frameDeny: Bool?
        /// A custom `X-Frame-Options` value (overrides ``frameDeny``).
        public var customFrameOptionsValue: String?
        /// `X-Content-Type-Options: nosniff`.
        public var contentTypeNosniff: Bool?
        /// `X-XSS-Protection: 1; mode=block`.
        public var browserXssFilter: Bool?
        /// A custom `X-XSS-Protection` value (overrides ``browserXssFilter``).
        public var customBrowserXSSValue: String?
        /// `Content-Security-Policy`.
        public var contentSecurityPolicy: String?
        /// `Content-Security-Policy-Report-Only`.
        public var contentSecurityPolicyReportOnly: String?
        /// `Public-Key-Pins` (obsolete, kept for compatibility).
        public var publicKey: String?
        /// `Referrer-Policy`.
        public var referrerPolicy: String?
        /// `Permissions-Policy`.
        public var permissionsPolicy: String?
        /// Relax ``allowedHosts``, SSL and STS checks for development.
        public var isDevelopment: Bool?

        /// Nothing set.
        public init() {}
    }
}

extension Middleware.Headers: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        customRequestHeaders = try m.decode("customRequestHeaders")
        customResponseHeaders = try m.decode("customResponseHeaders")
        accessControlAllowCredentials = try m.decode("accessControlAllowCredentials")
        accessControlAllowHeaders = try m.decode("accessControlAllowHeaders")
        accessControlAllowMethods = try m.decode("accessControlAllowMethods")
        accessControlAllowOriginList = try m.decode("accessControlAllowOriginList")
        accessControlAllowOriginListRegex = try m.decode("accessControlAllowOriginListRegex")
        accessControlExposeHeaders = try m.decode("accessControlExposeHeaders")
        accessControlMaxAge = try m.decode("accessControlMaxAge")
        addVaryHeader = try m.decode("addVaryHeader")
        allowedHosts = try m.decode("allowedHosts")
        hostsProxyHeaders = try m.decode("hostsProxyHeaders")
        sslProxyHeaders = try m.decode("sslProxyHeaders")
        stsSeconds = try m.decode("stsSeconds")
        stsIncludeSubdomains = try m.decode("stsIncludeSubdomains")
        stsPreload = try m.decode("stsPreload")
        forceSTSHeader = try m.decode("forceSTSHeader")
        frameDeny = try m.decode("frameDeny")
        customFrameOptionsValue = try m.decode("customFrameOptionsValue")
        contentTypeNosniff = try m.decode("contentTypeNosniff")
        browserXssFilter = try m.decode("browserXssFilter")
        customBrowserXSSValue = try m.decode("customBrowserXSSValue")
        contentSecurityPolicy = try m.decode("contentSecurityPolicy")
        contentSecurityPolicyReportOnly = try m.decode("contentSecurityPolicyReportOnly")
        publicKey = try m.decode("publicKey")
        referrerPolicy = try m.decode("referrerPolicy")
        permissionsPolicy = try m.decode("permissionsPolicy")
        isDevelopment = try m.decode("isDevelopment")
        m.unsupported(["sslRedirect", "sslTemporaryRedirect", "sslHost", "sslForceHost", "featurePolicy"],
                      reason: "removed in Traefik v3 (use redirectScheme, or permissionsPolicy for featurePolicy)")
        try m.finish()
    }
}
