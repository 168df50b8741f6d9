import Foundation

extension String: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        self = try reader.scalarText()
    }
}

extension Bool: ConfigDecodable {
    /// Accepts what Go's `strconv.ParseBool` accepts (`1`, `t`, `true`, `0`, `f`, `false`),
    /// case-insensitively, plus YAML 1.1's `yes`/`no`/`on`/`off`; quoted or not.
    init(from reader: ConfigReader) throws(ConfigError) {
        let text = try reader.scalarText()
        guard let value = Self.parseConfigBool(text) else {
            throw reader.error(.typeMismatch, "expected a boolean (true or false), found \"\(text)\"")
        }
        self = value
    }

    static func parseConfigBool(_ text: String) -> Bool? {
        switch text.trimmingWhitespace().lowercased() {
        case "1", "t", "true", "yes", "y", "on": true
        case "0", "f", "false", "no", "n", "off": false
        default: nil
        }
    }
}

extension Int: ConfigDecodable {
    /// Accepts decimal integers, quoted or not (`"8080"`), with optional sign and `_` separators.
    init(from reader: ConfigReader) throws(ConfigError) {
        let text = try reader.scalarText()
        guard let value = Int(Self.normalizedIntegerText(text)) else {
            throw reader.error(.typeMismatch, "expected an integer, found \"\(text)\"")
        }
        self = value
    }

    static func normalizedIntegerText(_ text: String) -> String {
        var trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("+") { trimmed.removeFirst() }
        return trimmed.replacingOccurrences(of: "_", with: "")
    }
}

extension Int64: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let text = try reader.scalarText()
        guard let value = Int64(Int.normalizedIntegerText(text)) else {
            throw reader.error(.typeMismatch, "expected an integer, found \"\(text)\"")
        }
        self = value
    }
}

extension Double: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let text = try reader.scalarText()
        guard let value = Double(Int.normalizedIntegerText(text)), value.isFinite else {
            throw reader.error(.typeMismatch, "expected a number, found \"\(text)\"")
        }
        self = value
    }
}

extension Array: ConfigDecodable where Element: ConfigDecodable {
    /// A list; a scalar is split on commas as Traefik does (`entryPoints: web,websecure`).
    init(from reader: ConfigReader) throws(ConfigError) {
        switch reader.node.content {
        case .list(let items):
            var result: [Element] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                var node = item
                if node.line == nil { node.line = reader.line }
                result.append(try Element(from: ConfigReader(node: node, path: reader.path.appending(index: index), context: reader.context)))
            }
            self = result
        case .scalar(let text, let hint):
            var result: [Element] = []
            let parts = text.split(separator: ",", omittingEmptySubsequences: true)
                .map { String($0).trimmingWhitespace() }
                .filter { !$0.isEmpty }
            for (index, part) in parts.enumerated() {
                let node = ConfigNode(.scalar(part, hint), line: reader.line)
                result.append(try Element(from: ConfigReader(node: node, path: reader.path.appending(index: index), context: reader.context)))
            }
            self = result
        case .null:
            self = []
        case .map:
            throw reader.error(.typeMismatch, "expected a list, found a map")
        }
    }
}

extension Dictionary: ConfigDecodable where Key == String, Value: ConfigDecodable {
    /// A map whose keys are names (routers, services, headers...): any key is accepted, case kept.
    init(from reader: ConfigReader) throws(ConfigError) {
        let keyed: KeyedReader
        switch reader.node.content {
        case .map, .null:
            keyed = try reader.keyedAllowingCaseVariants()
        default:
            throw reader.error(.typeMismatch, "expected a map, found \(reader.node.shapeName)")
        }
        var result: [String: Value] = [:]
        for (key, child) in keyed.remainingEntries() {
            result[key] = try Value(from: child)
        }
        self = result
    }
}

extension String: ConfigNullMeansAbsent {}
extension Bool: ConfigNullMeansAbsent {}
extension Int: ConfigNullMeansAbsent {}
extension Int64: ConfigNullMeansAbsent {}
extension Double: ConfigNullMeansAbsent {}
extension Array: ConfigNullMeansAbsent {}

extension ConfigReader {
    /// For maps of names, where `Foo` and `foo` are two different names.
    func keyedAllowingCaseVariants() throws(ConfigError) -> KeyedReader {
        switch node.content {
        case .map(let entries):
            return try KeyedReader(entries: entries, reader: self, caseSensitive: true)
        case .null:
            return try KeyedReader(entries: [], reader: self, caseSensitive: true)
        default:
            throw error(.typeMismatch, "expected a map, found \(node.shapeName)")
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

extension ConfigReader {
    /// Decodes a `String`-backed enum, matching its raw values case-insensitively.
    func decodeEnum<E: RawRepresentable & CaseIterable>(_ type: E.Type, what: String) throws(ConfigError) -> E
    where E.RawValue == String {
        let text = try scalarText()
        let lower = text.trimmingWhitespace().lowercased()
        if let match = E.allCases.first(where: { $0.rawValue.lowercased() == lower }) {
            return match
        }
        let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        throw error(.invalidValue, "unknown \(what) \"\(text)\"; expected one of \(allowed)")
    }
}
