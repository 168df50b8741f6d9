/// A position in a configuration tree while decoding: the node, its key path
/// and the file it came from. Every error thrown while decoding carries all three.
struct ConfigReader {
    let node: ConfigNode
    let path: ConfigKeyPath
    let context: DecodingContext

    var line: Int? { node.line }
    var isNull: Bool {
        if case .null = node.content { return true }
        return false
    }

    func error(_ kind: ConfigError.Kind, _ message: String, line: Int? = nil) -> ConfigError {
        ConfigError(kind: kind, file: context.fileName, line: line ?? node.line,
                    keyPath: path.description, message: message)
    }

    /// The value as a map with case-insensitive keys. `null` (an empty YAML value) reads as an empty map.
    func keyed() throws(ConfigError) -> KeyedReader {
        switch node.content {
        case .map(let entries):
            return try KeyedReader(entries: entries, reader: self)
        case .null:
            return try KeyedReader(entries: [], reader: self)
        default:
            throw error(.typeMismatch, "expected a map, found \(node.shapeName)")
        }
    }

    /// The text of a scalar. Maps and lists are type errors.
    func scalarText() throws(ConfigError) -> String {
        switch node.content {
        case .scalar(let text, _):
            return text
        case .null:
            return ""
        default:
            throw error(.typeMismatch, "expected a scalar value, found \(node.shapeName)")
        }
    }

    /// Decodes the node as `T`.
    func decode<T: ConfigDecodable>(_ type: T.Type = T.self) throws(ConfigError) -> T {
        try T(from: self)
    }
}

/// Information shared by every reader of one document.
struct DecodingContext: Sendable {
    /// The file name used in error messages (as passed to the loader).
    var fileName: String?
    /// The directory relative paths (certificates, keys) are resolved against.
    var baseDirectory: String?
}

/// A value that can be decoded from a configuration tree.
protocol ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError)
}

/// A map being decoded. Each key the decoder asks for is remembered; ``finish()``
/// then rejects every key that was never asked for, suggesting the closest known one.
final class KeyedReader {
    private struct Slot {
        var entry: ConfigNode.Entry
        var used = false
    }

    let reader: ConfigReader
    private var slots: [Slot]
    private var indexByLowercasedKey: [String: Int] = [:]
    private var knownKeys: [String] = []
    private var unsupportedKeys: [String: String] = [:]

    init(entries: [ConfigNode.Entry], reader: ConfigReader, caseSensitive: Bool = false) throws(ConfigError) {
        self.reader = reader
        self.slots = entries.map { Slot(entry: $0) }
        for (index, entry) in entries.enumerated() {
            let lower = caseSensitive ? entry.key : entry.key.lowercased()
            if let previous = indexByLowercasedKey[lower] {
                let first = entries[previous]
                var where_ = ""
                if let line = first.line { where_ = " (first written as \"\(first.key)\" on line \(line))" }
                throw ConfigError(
                    kind: .duplicateKey, file: reader.context.fileName, line: entry.line,
                    keyPath: reader.path.appending(entry.key).description,
                    message: "duplicate key \"\(entry.key)\"\(where_)" + (caseSensitive ? "" : "; keys are case-insensitive")
                )
            }
            indexByLowercasedKey[lower] = index
        }
    }

    var path: ConfigKeyPath { reader.path }
    var context: DecodingContext { reader.context }
    var isEmpty: Bool { slots.isEmpty }
    /// The keys as written, in order.
    var keys: [String] { slots.map(\.entry.key) }

    /// Looks a key up case-insensitively and marks it known (and used, if present).
    /// The returned reader's path uses the canonical spelling.
    func child(_ key: String) -> ConfigReader? {
        knownKeys.append(key)
        guard let index = indexByLowercasedKey[key.lowercased()] else { return nil }
        slots[index].used = true
        let entry = slots[index].entry
        var node = entry.value
        if node.line == nil { node.line = entry.line }
        return ConfigReader(node: node, path: reader.path.appending(key), context: reader.context)
    }

    /// Decodes an optional key. `null` values of scalars and lists read as absent;
    /// `null` for a map-shaped value reads as an empty map (so `tls:` means `tls: {}`).
    func decode<T: ConfigDecodable>(_ key: String, as type: T.Type = T.self) throws(ConfigError) -> T? {
        guard let child = child(key) else { return nil }
        if child.isNull && T.self is any ConfigNullMeansAbsent.Type {
            return nil
        }
        return try T(from: child)
    }

    /// Decodes a key that must be present.
    func require<T: ConfigDecodable>(_ key: String, as type: T.Type = T.self) throws(ConfigError) -> T {
        guard let value: T = try decode(key) else {
            throw ConfigError(kind: .missingValue, file: context.fileName, line: reader.line,
                              keyPath: path.appending(key).description, message: "missing required key \"\(key)\"")
        }
        return value
    }

    /// Declares keys Gatehouse recognises from Traefik but does not implement, with a reason.
    func unsupported(_ keys: [String], reason: String) {
        for key in keys { unsupportedKeys[key.lowercased()] = reason }
    }

    /// Every entry not yet used, for maps whose keys are names or free-form.
    func remainingEntries() -> [(key: String, reader: ConfigReader)] {
        var result: [(String, ConfigReader)] = []
        for index in slots.indices where !slots[index].used {
            slots[index].used = true
            let entry = slots[index].entry
            var node = entry.value
            if node.line == nil { node.line = entry.line }
            result.append((entry.key, ConfigReader(node: node, path: path.appending(entry.key), context: context)))
        }
        return result
    }

    /// The entries not asked for so far.
    var unusedEntries: [ConfigNode.Entry] {
        slots.filter { !$0.used }.map(\.entry)
    }

    /// Fails on the first key that was never asked for.
    func finish() throws(ConfigError) {
        for slot in slots where !slot.used {
            throw unknownKeyError(slot.entry)
        }
    }

    func unknownKeyError(_ entry: ConfigNode.Entry, candidates: [String]? = nil) -> ConfigError {
        if let reason = unsupportedKeys[entry.key.lowercased()] {
            return ConfigError(
                kind: .unsupported, file: context.fileName, line: entry.line ?? entry.value.line,
                keyPath: path.appending(entry.key).description,
                message: "\"\(entry.key)\" is not supported: \(reason)"
            )
        }
        var error = ConfigError(
            kind: .unknownKey, file: context.fileName, line: entry.line ?? entry.value.line,
            keyPath: path.appending(entry.key).description,
            message: "unknown key \"\(entry.key)\"",
            suggestion: KeySuggestion.closest(to: entry.key, in: candidates ?? knownKeys)
        )
        error.enclosingPath = path.description
        return error
    }

    /// Decodes a map that must hold exactly one of the given keys (e.g. a
    /// middleware's type). `what` names the thing for messages ("middleware type").
    func oneOf<T>(
        _ what: String,
        _ cases: [(key: String, decode: (ConfigReader) throws(ConfigError) -> T)]
    ) throws(ConfigError) -> T {
        let names = cases.map(\.key)
        var matched: [(ConfigNode.Entry, Int)] = []
        for slot in slots {
            let lower = slot.entry.key.lowercased()
            guard let caseIndex = names.firstIndex(where: { $0.lowercased() == lower }) else {
                throw unknownKeyError(slot.entry, candidates: names)
            }
            matched.append((slot.entry, caseIndex))
        }
        guard !matched.isEmpty else {
            throw reader.error(.missingValue, "no \(what) given; expected one of: \(names.joined(separator: ", "))")
        }
        guard matched.count == 1 else {
            let found = matched.map { "\"\($0.0.key)\"" }.joined(separator: ", ")
            throw reader.error(.invalidValue, "exactly one \(what) is allowed, found \(found)", line: matched[1].0.line)
        }
        let (entry, caseIndex) = matched[0]
        guard let child = child(cases[caseIndex].key) else {
            throw reader.error(.missingValue, "no \(what) given")
        }
        _ = entry
        return try cases[caseIndex].decode(child)
    }
}

/// Marker for scalar and list types: a YAML `null` (`key:` with no value) reads as absent.
/// For every other (map-shaped) type, `null` reads as an empty map, so `tlsChallenge:` means
/// `tlsChallenge: {}` as in Traefik.
protocol ConfigNullMeansAbsent {}

extension KeyedReader {
    /// The first entry not yet used whose key is one of `keys` (case-insensitive).
    func firstUnusedKeyMatching(_ keys: [String]) -> ConfigNode.Entry? {
        let lowered = Set(keys.map { $0.lowercased() })
        return unusedEntries.first { lowered.contains($0.key.lowercased()) }
    }
}
