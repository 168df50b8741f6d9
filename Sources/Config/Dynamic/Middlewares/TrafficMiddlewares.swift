extension Middleware {
    /// `compress`: compress responses.
    public struct Compress: Sendable, Equatable {
        /// Content types never compressed. Exclusive with ``includedContentTypes``.
        public var excludedContentTypes: [String]?
        /// Only these content types are compressed.
        public var includedContentTypes: [String]?
        /// Responses smaller than this are not compressed. Default 1024.
        public var minResponseBodyBytes: Int?
        /// Encodings offered, in preference order. Default `zstd`, `br`, `gzip`.
        public var encodings: [String]?
        /// Encoding used when the client sends no `Accept-Encoding`.
        public var defaultEncoding: String?

        /// Nothing set.
        public init() {}

        /// ``minResponseBodyBytes`` or 1024.
        public var effectiveMinResponseBodyBytes: Int { minResponseBodyBytes ?? 1024 }
        /// ``encodings`` or `["zstd", "br", "gzip"]`.
        public var effectiveEncodings: [String] { encodings ?? ["zstd", "br", "gzip"] }
    }

    /// `buffering`: read whole bodies before forwarding.
    public struct Buffering: Sendable, Equatable {
        /// Larger request bodies get 413. 0 means no limit.
        public var maxRequestBodyBytes: Int64?
        /// Request bodies above this go to a temporary file. Default 1 MiB.
        public var memRequestBodyBytes: Int64?
        /// Larger response bodies get 500. 0 means no limit.
        public var maxResponseBodyBytes: Int64?
        /// Response bodies above this go to a temporary file. Default 1 MiB.
        public var memResponseBodyBytes: Int64?
        /// Retry the request while this expression holds, e.g. `IsNetworkError() && Attempts() < 2`.
        public var retryExpression: String?

        /// Nothing set.
        public init() {}
    }

    /// `retry`: retry on network errors.
    public struct Retry: Sendable, Equatable {
        /// Total attempts.
        public var attempts: Int?
        /// First back-off interval, doubled each retry. 0 means retry at once.
        public var initialInterval: ConfigDuration?

        /// Nothing set.
        public init() {}
    }

    /// `circuitBreaker`.
    public struct CircuitBreaker: Sendable, Equatable {
        /// When to open, e.g. `NetworkErrorRatio() > 0.5`.
        public var expression: String?
        /// How often the expression is checked. Default 100ms.
        public var checkPeriod: ConfigDuration?
        /// How long the breaker stays open. Default 10s.
        public var fallbackDuration: ConfigDuration?
        /// How long recovery lasts. Default 10s.
        public var recoveryDuration: ConfigDuration?
        /// Status returned while open. Default 503.
        public var responseCode: Int?

        /// Nothing set.
        public init() {}

        /// ``checkPeriod`` or 100ms.
        public var effectiveCheckPeriod: ConfigDuration { checkPeriod ?? .milliseconds(100) }
        /// ``fallbackDuration`` or 10s.
        public var effectiveFallbackDuration: ConfigDuration { fallbackDuration ?? .seconds(10) }
        /// ``recoveryDuration`` or 10s.
        public var effectiveRecoveryDuration: ConfigDuration { recoveryDuration ?? .seconds(10) }
        /// ``responseCode`` or 503.
        public var effectiveResponseCode: Int { responseCode ?? 503 }
    }

    /// `errors`: replace error responses with pages from another service.
    public struct Errors: Sendable, Equatable {
        /// Status codes or ranges, e.g. `500-599`, `404`.
        public var status: [String]?
        /// The service serving the error pages.
        public var service: String?
        /// The path requested from ``service``; `{status}` and `{originalStatus}` are replaced.
        public var query: String?
        /// Rewrite statuses, e.g. `"500-503": 500`.
        public var statusRewrites: [String: Int]?

        /// Nothing set.
        public init() {}
    }

    /// `chain`: a named list of other middlewares.
    public struct Chain: Sendable, Equatable {
        /// Middleware names, in order.
        public var middlewares: [String]?

        /// Nothing set.
        public init() {}
    }

    /// `contentType`.
    public struct ContentType: Sendable, Equatable {
        /// Set `Content-Type` by sniffing when the backend sends none. Default false.
        public var autoDetect: Bool?

        /// Nothing set.
        public init() {}
    }

    /// `grpcWeb`: translate gRPC-Web to gRPC.
    public struct GRPCWeb: Sendable, Equatable {
        /// Allowed CORS origins (`*` for any).
        public var allowOrigins: [String]?

        /// Nothing set.
        public init() {}
    }
}

extension Middleware.Compress: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        excludedContentTypes = try m.decode("excludedContentTypes")
        includedContentTypes = try m.decode("includedContentTypes")
        minResponseBodyBytes = try m.decode("minResponseBodyBytes")
        encodings = try m.decode("encodings")
        defaultEncoding = try m.decode("defaultEncoding")
        try m.finish()
        if excludedContentTypes != nil && includedContentTypes != nil {
            throw reader.error(.invalidValue, "\"excludedContentTypes\" and \"includedContentTypes\" cannot both be set")
        }
    }
}

extension Middleware.Buffering: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        maxRequestBodyBytes = try m.decode("maxRequestBodyBytes")
        memRequestBodyBytes = try m.decode("memRequestBodyBytes")
        maxResponseBodyBytes = try m.decode("maxResponseBodyBytes")
        memResponseBodyBytes = try m.decode("memResponseBodyBytes")
        retryExpression = try m.decode("retryExpression")
        try m.finish()
    }
}

extension Middleware.Retry: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        attempts = try m.decode("attempts")
        initialInterval = try m.decode("initialInterval")
        try m.finish()
    }
}

extension Middleware.CircuitBreaker: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        expression = try m.decode("expression")
        checkPeriod = try m.decode("checkPeriod")
        fallbackDuration = try m.decode("fallbackDuration")
        recoveryDuration = try m.decode("recoveryDuration")
        responseCode = try m.decode("responseCode")
        try m.finish()
    }
}

extension Middleware.Errors: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        status = try m.decode("status")
        service = try m.decode("service")
        query = try m.decode("query")
        statusRewrites = try m.decode("statusRewrites")
        try m.finish()
    }
}

extension Middleware.Chain: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        middlewares = try m.decode("middlewares")
        try m.finish()
    }
}

extension Middleware.ContentType: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        autoDetect = try m.decode("autoDetect")
        try m.finish()
    }
}

extension Middleware.GRPCWeb: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        allowOrigins = try m.decode("allowOrigins")
        try m.finish()
    }
}
