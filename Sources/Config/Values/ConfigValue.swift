/// A loosely typed configuration value, for sections Gatehouse accepts but does
/// not interpret (e.g. `metrics`, `tracing`, `experimental`).
public indirect enum ConfigValue: Sendable, Hashable {
    /// An empty value (`key:` in YAML).
    case null
    /// A string.
    case string(String)
    /// An integer.
    case int(Int64)
    /// A floating-point number.
    case double(Double)
    /// A boolean.
    case bool(Bool)
    /// A list.
    case list([ConfigValue])
    /// A map, keys in source order.
    case map([MapEntry])

    /// One key of a ``ConfigValue/map(_:)``.
    public struct MapEntry: Sendable, Hashable {
        /// The key as written.
        public var key: String
        /// The value.
        public var value: ConfigValue

        /// Creates an entry.
        public init(key: String, value: ConfigValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value for a key of a map, matched case-insensitively.
    public subscript(key: String) -> ConfigValue? {
        guard case .map(let entries) = self else { return nil }
        let lower = key.lowercased()
        return entries.first { $0.key.lowercased() == lower }?.value
    }
}

extension ConfigValue: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        self.init(node: reader.node)
    }

    init(node: ConfigNode) {
        switch node.content {
        case .null:
            self = .null
        case .scalar(let text, let hint):
            switch hint {
            case .int:
                self = Int64(Int.normalizedIntegerText(text)).map(ConfigValue.int) ?? .string(text)
            case .float:
                self = Double(text).map(ConfigValue.double) ?? .string(text)
            case .bool:
                self = Bool.parseConfigBool(text).map(ConfigValue.bool) ?? .string(text)
            case .string:
                self = .string(text)
            }
        case .list(let items):
            self = .list(items.map(ConfigValue.init(node:)))
        case .map(let entries):
            self = .map(entries.map { MapEntry(key: $0.key, value: ConfigValue(node: $0.value)) })
        }
    }
}
