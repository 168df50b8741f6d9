import Yams

/// Reads YAML text into a ``ConfigNode`` tree with line numbers.
///
/// Uses `Yams.compose` so every node keeps its `Mark`. Aliases are resolved by
/// Yams; merge keys (`<<: *anchor`) are applied here, explicit keys winning.
enum YAMLTreeReader {
    static func read(_ text: String, file: String?) throws(ConfigError) -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ConfigError(kind: .syntax, file: file, message: "invalid YAML: \(error)")
        }
        guard let root else {
            // An empty document is an empty configuration.
            return ConfigNode(.map([]), line: 1)
        }
        return try convert(root, file: file)
    }

    private static func syntaxError(_ error: YamlError, file: String?) -> ConfigError {
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " \(context.text)" }
            return ConfigError(kind: .syntax, file: file, line: mark.line, message: message)
        case let .duplicatedKeysInMapping(duplicates, context):
            return ConfigError(
                kind: .duplicateKey, file: file, line: context.mark.line,
                message: "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", "))"
            )
        case let .reader(problem, _, _, _):
            return ConfigError(kind: .syntax, file: file, message: "invalid YAML: \(problem)")
        default:
            return ConfigError(kind: .syntax, file: file, message: "invalid YAML: \(error)")
        }
    }

    private static func convert(_ node: Node, file: String?) throws(ConfigError) -> ConfigNode {
        let line = node.mark?.line
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.rawValue
            if scalar.style == .plain || scalar.style == .any {
                switch tag {
                case Tag.Name.null.rawValue:
                    return ConfigNode(.null, line: line)
                case Tag.Name.int.rawValue:
                    return ConfigNode(.scalar(scalar.string, .int), line: line)
                case Tag.Name.float.rawValue:
                    return ConfigNode(.scalar(scalar.string, .float), line: line)
                case Tag.Name.bool.rawValue:
                    return ConfigNode(.scalar(scalar.string, .bool), line: line)
                default:
                    break
                }
            }
            return ConfigNode(.scalar(scalar.string, .string), line: line)

        case .sequence(let sequence):
            var items: [ConfigNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try convert(item, file: file))
            }
            return ConfigNode(.list(items), line: line)

        case .mapping(let mapping):
            var entries: [ConfigNode.Entry] = []
            var merged: [ConfigNode.Entry] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigError(
                        kind: .typeMismatch, file: file, line: key.mark?.line,
                        message: "map keys must be scalars, found \(key.isMapping ? "a map" : "a list")"
                    )
                }
                if key.tag.rawValue == Tag.Name.merge.rawValue {
                    merged += try mergeEntries(value, file: file)
                    continue
                }
                entries.append(ConfigNode.Entry(
                    key: keyScalar.string, line: key.mark?.line, value: try convert(value, file: file)
                ))
            }
            // Merge keys: explicit keys win, earlier merged maps win over later ones.
            var seen = Set(entries.map(\.key))
            for entry in merged where !seen.contains(entry.key) {
                seen.insert(entry.key)
                entries.append(entry)
            }
            return ConfigNode(.map(entries), line: line)

        case .alias:
            throw ConfigError(kind: .syntax, file: file, line: line, message: "unresolved YAML alias")
        }
    }

    private static func mergeEntries(_ value: Node, file: String?) throws(ConfigError) -> [ConfigNode.Entry] {
        let converted = try convert(value, file: file)
        switch converted.content {
        case .map(let entries):
            return entries
        case .list(let items):
            var result: [ConfigNode.Entry] = []
            for item in items {
                guard case .map(let entries) = item.content else {
                    throw ConfigError(kind: .typeMismatch, file: file, line: item.line,
                                      message: "a YAML merge key (<<) needs maps")
                }
                result += entries
            }
            return result
        default:
            throw ConfigError(kind: .typeMismatch, file: file, line: converted.line,
                              message: "a YAML merge key (<<) needs a map or a list of maps")
        }
    }
}

extension Node {
    fileprivate var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }
}
