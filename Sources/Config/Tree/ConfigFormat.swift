/// The syntax of a configuration file.
public enum ConfigFormat: String, Sendable, Hashable, CaseIterable {
    /// YAML 1.1 (JSON is accepted too, being a subset).
    case yaml
    /// TOML 1.0.
    case toml

    /// The format for a file name: `.toml` is TOML; `.yml`, `.yaml` and anything else are YAML.
    public init(fileName: String) {
        let lower = fileName.lowercased()
        self = lower.hasSuffix(".toml") ? .toml : .yaml
    }

    /// Whether a file name has one of the extensions a configuration directory is scanned for
    /// (`.yml`, `.yaml`, `.toml`).
    public static func isConfigFileName(_ fileName: String) -> Bool {
        let lower = fileName.lowercased()
        return lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") || lower.hasSuffix(".toml")
    }
}
