import Foundation

/// Reads static and dynamic configuration files (YAML or TOML) into the model.
///
/// Decoding is strict: keys match case-insensitively, unknown keys and wrong
/// types are ``ConfigError``s naming the file, line and key path.
public enum ConfigLoader {
    // MARK: Static

    /// Loads a static configuration file. The format follows the extension
    /// (`.toml` is TOML, anything else YAML).
    public static func loadStatic(file: String) throws(ConfigError) -> StaticConfiguration {
        let text = try readText(file)
        return try decode(StaticConfiguration.self, text: text, format: ConfigFormat(fileName: file),
                          context: context(forFile: file))
    }

    /// Loads a static configuration from text; `fileName` is used in errors only.
    public static func loadStatic(
        string: String, format: ConfigFormat = .yaml, fileName: String? = nil
    ) throws(ConfigError) -> StaticConfiguration {
        try decode(StaticConfiguration.self, text: string, format: format,
                   context: DecodingContext(fileName: fileName, baseDirectory: nil))
    }

    // MARK: Dynamic

    /// Loads one dynamic configuration file.
    public static func loadDynamic(file: String) throws(ConfigError) -> DynamicConfiguration {
        let text = try readText(file)
        return try decode(DynamicConfiguration.self, text: text, format: ConfigFormat(fileName: file),
                          context: context(forFile: file))
    }

    /// Loads a dynamic configuration from text; `fileName` is used in errors only.
    public static func loadDynamic(
        string: String, format: ConfigFormat = .yaml, fileName: String? = nil
    ) throws(ConfigError) -> DynamicConfiguration {
        try decode(DynamicConfiguration.self, text: string, format: format,
                   context: DecodingContext(fileName: fileName, baseDirectory: nil))
    }

    /// Decodes the text of a dynamic configuration file that was already read, as
    /// ``loadDynamic(file:)`` would: the format follows the extension of `file`, errors name
    /// it, and relative paths in it resolve against its directory.
    ///
    /// A watcher uses this so that the bytes it fingerprinted are exactly the bytes it decodes.
    public static func loadDynamic(text: String, file: String) throws(ConfigError) -> DynamicConfiguration {
        try decode(DynamicConfiguration.self, text: text, format: ConfigFormat(fileName: file),
                   context: context(forFile: file))
    }

    /// Merges the configurations of several files, in the order given, the way
    /// ``loadDynamic(directory:)`` does: a name defined in more than one file is dropped from
    /// every file and reported as a ``ConfigIssue`` naming all of them.
    public static func mergeDynamic(
        _ parts: [(file: String, configuration: DynamicConfiguration)]
    ) -> (configuration: DynamicConfiguration, issues: [ConfigIssue]) {
        let (merged, issues) = DynamicMerger.merge(parts)
        return (merged, issues)
    }

    /// Loads every `*.yml`, `*.yaml` and `*.toml` file under `directory` (recursively, in
    /// path order; names starting with `.` are skipped, e.g. Kubernetes' `..data` links)
    /// and merges them.
    ///
    /// A file that cannot be read or decoded is reported in ``DynamicLoadResult/errors``
    /// and contributes nothing; the other files still load. A router, service,
    /// middleware, transport, TLS options or store name defined in more than one file
    /// is dropped from every file and reported as a ``ConfigIssue`` naming all of them.
    ///
    /// - Throws: ``ConfigError`` only when the directory itself cannot be listed.
    public static func loadDynamic(directory: String) throws(ConfigError) -> DynamicLoadResult {
        let files = try configurationFiles(in: directory)
        var loaded: [(file: String, configuration: DynamicConfiguration)] = []
        var errors: [ConfigError] = []
        for file in files {
            do {
                loaded.append((file, try loadDynamic(file: file)))
            } catch {
                errors.append(error)
            }
        }
        let (merged, issues) = DynamicMerger.merge(loaded)
        return DynamicLoadResult(configuration: merged, files: files, errors: errors, issues: issues)
    }

    /// The configuration files `loadDynamic(directory:)` reads, in the order it reads them.
    public static func configurationFiles(in directory: String) throws(ConfigError) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError(kind: .io, file: directory, message: "\(directory) is not a directory")
        }
        var result: [String] = []
        var pending = [directory]
        while let current = pending.popLast() {
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: current)
            } catch {
                throw ConfigError(kind: .io, file: current, message: "cannot list \(current): \(error.localizedDescription)")
            }
            for name in names where !name.hasPrefix(".") {
                let path = (current as NSString).appendingPathComponent(name)
                var childIsDirectory: ObjCBool = false
                guard manager.fileExists(atPath: path, isDirectory: &childIsDirectory) else { continue }
                if childIsDirectory.boolValue {
                    pending.append(path)
                } else if ConfigFormat.isConfigFileName(name) {
                    result.append(path)
                }
            }
        }
        return result.sorted()
    }

    // MARK: Internals

    static func readText(_ file: String) throws(ConfigError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ConfigError(kind: .io, file: file, message: "cannot read \(file): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(kind: .syntax, file: file, message: "\(file) is not UTF-8 text")
        }
        return text
    }

    static func context(forFile file: String) -> DecodingContext {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return DecodingContext(fileName: file, baseDirectory: directory)
    }

    static func tree(text: String, format: ConfigFormat, fileName: String?) throws(ConfigError) -> ConfigNode {
        switch format {
        case .yaml: try YAMLTreeReader.read(text, file: fileName)
        case .toml: try TOMLTreeReader.read(text, file: fileName)
        }
    }

    static func decode<T: ConfigDecodable>(
        _ type: T.Type, text: String, format: ConfigFormat, context: DecodingContext
    ) throws(ConfigError) -> T {
        let root = try tree(text: text, format: format, fileName: context.fileName)
        if case .scalar = root.content {
            throw ConfigError(kind: .typeMismatch, file: context.fileName, line: root.line,
                              message: "the document must be a map of keys, found a scalar")
        }
        return try T(from: ConfigReader(node: root, path: .root, context: context))
    }
}

/// What ``ConfigLoader/loadDynamic(directory:)`` found.
public struct DynamicLoadResult: Sendable, Equatable {
    /// The merged configuration of every file that loaded, without duplicated names.
    public var configuration: DynamicConfiguration
    /// Every file considered, in load order.
    public var files: [String]
    /// Files that could not be read or decoded (each contributes nothing).
    public var errors: [ConfigError]
    /// Names defined in more than one file (those items are dropped).
    public var issues: [ConfigIssue]

    /// Creates a result.
    public init(configuration: DynamicConfiguration, files: [String], errors: [ConfigError], issues: [ConfigIssue]) {
        self.configuration = configuration
        self.files = files
        self.errors = errors
        self.issues = issues
    }
}
