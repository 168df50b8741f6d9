extension Middleware {
    /// `addPrefix`: prepend a path prefix.
    public struct AddPrefix: Sendable, Equatable {
        /// The prefix, e.g. `/api`.
        public var prefix: String?

        /// Nothing set.
        public init() {}
    }

    /// `stripPrefix`: remove the first matching prefix from the path.
    public struct StripPrefix: Sendable, Equatable {
        /// Prefixes to try, in order.
        public var prefixes: [String]?
        /// Deprecated: make the stripped path start with `/`. Default true.
        public var forceSlash: Bool?

        /// Nothing set.
        public init() {}
    }

    /// `stripPrefixRegex`: remove the first prefix matching a regular expression.
    public struct StripPrefixRegex: Sendable, Equatable {
        /// Regular expressions matched against the start of the path.
        public var regex: [String]?

        /// Nothing set.
        public init() {}
    }

    /// `replacePath`: replace the whole path (the original goes to `X-Replaced-Path`).
    public struct ReplacePath: Sendable, Equatable {
        /// The new path.
        public var path: String?

        /// Nothing set.
        public init() {}
    }

    /// `replacePathRegex`: rewrite the path with a regular expression.
    public struct ReplacePathRegex: Sendable, Equatable {
        /// The expression matched against the path.
        public var regex: String?
        /// The replacement, with `$1`-style groups.
        public var replacement: String?

        /// Nothing set.
        public init() {}
    }

    /// `redirectScheme`: redirect to another scheme (and port).
    public struct RedirectScheme: Sendable, Equatable {
        /// Target scheme, e.g. `https`.
        public var scheme: String?
        /// Target port, e.g. `8443`.
        public var port: String?
        /// 301/308 rather than 302/307. Default false.
        public var permanent: Bool?

        /// Nothing set.
        public init() {}
    }

    /// `redirectRegex`: redirect by rewriting the full URL with a regular expression.
    public struct RedirectRegex: Sendable, Equatable {
        /// The expression matched against the full request URL.
        public var regex: String?
        /// The target URL, with `$1`-style groups.
        public var replacement: String?
        /// 301/308 rather than 302/307. Default false.
        public var permanent: Bool?

        /// Nothing set.
        public init() {}
    }
}

extension Middleware.AddPrefix: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        prefix = try m.decode("prefix")
        try m.finish()
    }
}

extension Middleware.StripPrefix: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        prefixes = try m.decode("prefixes")
        forceSlash = try m.decode("forceSlash")
        try m.finish()
    }
}

extension Middleware.StripPrefixRegex: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        regex = try m.decode("regex")
        try m.finish()
    }
}

extension Middleware.ReplacePath: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        path = try m.decode("path")
        try m.finish()
    }
}

extension Middleware.ReplacePathRegex: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        regex = try m.decode("regex")
        replacement = try m.decode("replacement")
        try m.finish()
    }
}

extension Middleware.RedirectScheme: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        scheme = try m.decode("scheme")
        port = try m.decode("port")
        permanent = try m.decode("permanent")
        try m.finish()
    }
}

extension Middleware.RedirectRegex: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        regex = try m.decode("regex")
        replacement = try m.decode("replacement")
        permanent = try m.decode("permanent")
        try m.finish()
    }
}
