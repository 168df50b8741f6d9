/// An error found while reading or decoding a configuration file.
///
/// `ConfigError` is a struct so that it can grow without breaking callers: new
/// kinds are added as new static members of ``Kind``, never as enum cases.
///
/// ```
/// unknown key http.routers.api.rulee (file dyn.yml, line 4); did you mean "rule"?
/// ```
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in broad terms. Compare with the static members.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case syntax, unknownKey, duplicateKey, typeMismatch, invalidValue, missingValue, io, unsupported
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file is not valid YAML or TOML.
        public static let syntax = Kind(.syntax)
        /// A key that the schema does not know.
        public static let unknownKey = Kind(.unknownKey)
        /// The same key appears twice in one map (keys match case-insensitively).
        public static let duplicateKey = Kind(.duplicateKey)
        /// A value has the wrong shape, e.g. a map where a string is expected.
        public static let typeMismatch = Kind(.typeMismatch)
        /// A value has the right shape but cannot be used (bad duration, bad address, ...).
        public static let invalidValue = Kind(.invalidValue)
        /// A required value is missing.
        public static let missingValue = Kind(.missingValue)
        /// A file or directory could not be read.
        public static let io = Kind(.io)
        /// A Traefik key that Gatehouse knows but does not support.
        public static let unsupported = Kind(.unsupported)

        public var description: String { base.rawValue }
    }

    /// The broad category of the error.
    public var kind: Kind
    /// The file the error is in, as given to the loader (`nil` when loading from a string).
    public var file: String?
    /// The 1-based line number, when known.
    public var line: Int?
    /// The full key path, e.g. `http.routers.api.rulee`; list elements as `servers[0]`.
    /// Empty for errors about the whole document.
    public var keyPath: String
    /// A human-readable message without location, e.g. `unknown key "rulee"`.
    public var message: String
    /// The closest known key, for unknown keys (e.g. `rule` for `rulee`).
    public var suggestion: String?

    /// Creates an error.
    public init(
        kind: Kind,
        file: String? = nil,
        line: Int? = nil,
        keyPath: String = "",
        message: String,
        suggestion: String? = nil
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
        self.suggestion = suggestion
    }

    /// For unknown keys, the path of the enclosing map (the message already names the key).
    var enclosingPath: String?

    /// The path shown in ``description``: for unknown keys the enclosing map
    /// (the message already names the key), otherwise the key path itself.
    public var locationPath: String {
        enclosingPath ?? keyPath
    }

    /// `message at path (file f, line n); did you mean "x"?`, or for unknown keys
    /// `unknown key full.path (file f, line n); did you mean "x"?`
    public var description: String {
        var text: String
        if enclosingPath != nil {
            // Unknown keys are named by their whole path, the way an operator greps for them.
            text = "unknown key \(keyPath)"
        } else {
            text = message
            if !keyPath.isEmpty { text += " at \(keyPath)" }
        }
        var where_: [String] = []
        if let file { where_.append("file \(file)") }
        if let line { where_.append("line \(line)") }
        if !where_.isEmpty {
            text += " (\(where_.joined(separator: ", ")))"
        }
        if let suggestion {
            text += "; did you mean \"\(suggestion)\"?"
        }
        return text
    }
}
