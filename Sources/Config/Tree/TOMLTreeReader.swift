import TOMLKit

/// Reads TOML text into a ``ConfigNode`` tree.
///
/// TOMLKit parses the document; it exposes neither key order nor positions, so
/// ``TOMLLineIndex`` scans the text once more to find the line of every key and
/// array element. Keys are ordered by the line they first appear on.
enum TOMLTreeReader {
    static func read(_ text: String, file: String?) throws(ConfigError) -> ConfigNode {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(kind: .syntax, file: file, line: error.source.begin.line,
                              message: "invalid TOML: \(error.description)")
        } catch {
            throw ConfigError(kind: .syntax, file: file, message: "invalid TOML: \(error)")
        }
        let index = TOMLLineIndex(text)
        return convertTable(table, path: [], index: index, line: 1)
    }

    private static func convertTable(_ table: TOMLTable, path: [String], index: TOMLLineIndex, line: Int?) -> ConfigNode {
        var entries: [ConfigNode.Entry] = []
        for key in table.keys {
            guard let value = table[key] else { continue }
            let childPath = path + [key]
            let keyLine = index.line(for: childPath)
            entries.append(ConfigNode.Entry(
                key: key, line: keyLine,
                value: convertValue(value, path: childPath, index: index, line: keyLine)
            ))
        }
        entries.sort { lhs, rhs in
            switch (lhs.line, rhs.line) {
            case let (l?, r?): l < r
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): lhs.key < rhs.key
            }
        }
        return ConfigNode(.map(entries), line: line)
    }

    private static func convertValue(_ value: TOMLValueConvertible, path: [String], index: TOMLLineIndex, line: Int?) -> ConfigNode {
        switch value.type {
        case .table:
            return convertTable(value.table!, path: path, index: index, line: line)
        case .array:
            let array = value.array!
            var items: [ConfigNode] = []
            for position in 0..<array.count {
                let itemPath = path + ["[\(position)]"]
                let itemLine = index.line(for: itemPath) ?? line
                items.append(convertValue(array[position], path: itemPath, index: index, line: itemLine))
            }
            return ConfigNode(.list(items), line: line)
        case .string:
            return ConfigNode(.scalar(value.string ?? "", .string), line: line)
        case .int:
            return ConfigNode(.scalar(String(value.int ?? 0), .int), line: line)
        case .double:
            let double = value.double ?? 0
            let text = double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(double)
            return ConfigNode(.scalar(text, .float), line: line)
        case .bool:
            return ConfigNode(.scalar((value.bool ?? false) ? "true" : "false", .bool), line: line)
        case .date, .time, .dateTime:
            return ConfigNode(.scalar(value.debugDescription, .string), line: line)
        }
    }
}
