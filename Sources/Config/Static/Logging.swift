/// A log level, matched case-insensitively (`WARNING` is accepted for ``warn``).
public enum LogLevel: String, Sendable, Hashable, CaseIterable {
    /// `TRACE`.
    case trace = "TRACE"
    /// `DEBUG`.
    case debug = "DEBUG"
    /// `INFO`.
    case info = "INFO"
    /// `WARN`.
    case warn = "WARN"
    /// `ERROR`.
    case error = "ERROR"
    /// `FATAL`.
    case fatal = "FATAL"
    /// `PANIC`.
    case panic = "PANIC"
}

/// `log`: Gatehouse's own log.
public struct Log: Sendable, Equatable {
    /// Minimum level. Traefik's default is `ERROR`; see ``effectiveLevel``.
    public var level: LogLevel?
    /// `common` (default) or `json`.
    public var format: LogFormat?
    /// Write to this file instead of standard output.
    public var filePath: String?
    /// Disable colours in the `common` format.
    public var noColor: Bool?
    /// Rotate the file at this many megabytes.
    public var maxSize: Int?
    /// Delete rotated files older than this many days.
    public var maxAge: Int?
    /// Keep at most this many rotated files.
    public var maxBackups: Int?
    /// Gzip rotated files.
    public var compress: Bool?

    /// Nothing set.
    public init() {}

    /// Traefik's default level when none is configured.
    public static let defaultLevel = LogLevel.error
    /// ``level`` or `ERROR`.
    public var effectiveLevel: LogLevel { level ?? Self.defaultLevel }
    /// ``format`` or `common`.
    public var effectiveFormat: LogFormat { format ?? .common }
}

/// The format of the log and the access log.
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// Human-readable text (for the access log: Common Log Format with Traefik's extra fields).
    case common
    /// One JSON object per line.
    case json
    /// Access log only: plain Common Log Format.
    case genericCLF
}

/// `accessLog`: one line per request. Present (even as `accessLog: {}`) means enabled.
public struct AccessLog: Sendable, Equatable {
    /// Write to this file instead of standard output.
    public var filePath: String?
    /// `common` (default), `genericCLF` or `json`.
    public var format: LogFormat?
    /// Lines buffered before writing. Default 0 (write each line).
    public var bufferingSize: Int64?
    /// Log requests to Gatehouse's internal services too.
    public var addInternals: Bool?
    /// Which requests to log.
    public var filters: Filters?
    /// Which fields to keep, drop or redact (JSON format).
    public var fields: Fields?

    /// Nothing set.
    public init() {}

    /// ``format`` or `common`.
    public var effectiveFormat: LogFormat { format ?? .common }

    /// `accessLog.filters`: a request is logged if it matches any filter.
    public struct Filters: Sendable, Equatable {
        /// Status codes or ranges such as `200`, `300-302`, `500-599`.
        public var statusCodes: [String]?
        /// Log requests that were retried.
        public var retryAttempts: Bool?
        /// Log requests that took longer than this.
        public var minDuration: ConfigDuration?

        /// Nothing set.
        public init() {}
    }

    /// What to do with a field.
    public enum FieldMode: String, Sendable, Hashable, CaseIterable {
        /// Log the field as is.
        case keep
        /// Leave the field out.
        case drop
        /// Log the field with its value replaced by `REDACTED`.
        case redact
    }

    /// `accessLog.fields`.
    public struct Fields: Sendable, Equatable {
        /// Mode for fields not listed in ``names``. Default `keep`.
        public var defaultMode: FieldMode?
        /// Per-field modes, e.g. `ClientUsername: drop`.
        public var names: [String: FieldMode]?
        /// Request header handling.
        public var headers: HeaderFields?

        /// Nothing set.
        public init() {}
    }

    /// `accessLog.fields.headers`.
    public struct HeaderFields: Sendable, Equatable {
        /// Mode for headers not listed in ``names``. Default `drop`.
        public var defaultMode: FieldMode?
        /// Per-header modes.
        public var names: [String: FieldMode]?

        /// Nothing set.
        public init() {}
    }
}

extension LogLevel: ConfigDecodable, ConfigNullMeansAbsent {
    init(from reader: ConfigReader) throws(ConfigError) {
        let text = try reader.scalarText().uppercased()
        if let level = LogLevel(rawValue: text) {
            self = level
        } else if text == "WARNING" {
            self = .warn
        } else {
            throw reader.error(.invalidValue, "unknown log level \"\(text)\"; expected one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }
}

extension LogFormat: ConfigDecodable, ConfigNullMeansAbsent {
    init(from reader: ConfigReader) throws(ConfigError) {
        self = try reader.decodeEnum(LogFormat.self, what: "format")
    }
}

extension AccessLog.FieldMode: ConfigDecodable, ConfigNullMeansAbsent {
    init(from reader: ConfigReader) throws(ConfigError) {
        self = try reader.decodeEnum(Self.self, what: "field mode")
    }
}

extension Log: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        level = try m.decode("level")
        format = try m.decode("format")
        filePath = try m.decode("filePath")
        noColor = try m.decode("noColor")
        maxSize = try m.decode("maxSize")
        maxAge = try m.decode("maxAge")
        maxBackups = try m.decode("maxBackups")
        compress = try m.decode("compress")
        try m.finish()
        if format == .genericCLF {
            throw reader.error(.invalidValue, "log format \"genericCLF\" is for the access log only")
        }
    }
}

extension AccessLog: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        filePath = try m.decode("filePath")
        format = try m.decode("format")
        bufferingSize = try m.decode("bufferingSize")
        addInternals = try m.decode("addInternals")
        filters = try m.decode("filters")
        fields = try m.decode("fields")
        try m.finish()
    }
}

extension AccessLog.Filters: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        statusCodes = try m.decode("statusCodes")
        retryAttempts = try m.decode("retryAttempts")
        minDuration = try m.decode("minDuration")
        try m.finish()
    }
}

extension AccessLog.Fields: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        defaultMode = try m.decode("defaultMode")
        names = try m.decode("names")
        headers = try m.decode("headers")
        try m.finish()
    }
}

extension AccessLog.HeaderFields: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        defaultMode = try m.decode("defaultMode")
        names = try m.decode("names")
        try m.finish()
    }
}
