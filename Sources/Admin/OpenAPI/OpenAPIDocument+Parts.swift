import Foundation

extension OpenAPIDocument {
    /// The document as served: ``json`` with the paths and components of every part in
    /// ``parts`` merged in. Parts keep the routes of one concern (DNS credentials, …) next to
    /// their handlers; the test that holds the document and ``AdminRoute/all`` together reads
    /// the served document.
    static let served: String = merged(base: json, parts: parts)

    /// The parts merged into ``served``, each a JSON object with `paths` and `components`.
    static let parts: [String] = [dnsCredentialsPart, ExposeOpenAPI.additions]

    /// `base` with each part's `paths` and `components.*` entries added (a part never replaces
    /// an entry of the base). Keys are sorted; slashes are not escaped.
    static func merged(base: String, parts: [String]) -> String {
        guard var document = object(base) else { return base }
        for part in parts {
            guard let addition = object(part) else {
                assertionFailure("an OpenAPI part is not a JSON object")
                continue
            }
            var paths = document["paths"] as? [String: Any] ?? [:]
            for (path, item) in addition["paths"] as? [String: Any] ?? [:] where paths[path] == nil {
                paths[path] = item
            }
            document["paths"] = paths
            var components = document["components"] as? [String: Any] ?? [:]
            for (section, entries) in addition["components"] as? [String: Any] ?? [:] {
                var existing = components[section] as? [String: Any] ?? [:]
                for (name, entry) in entries as? [String: Any] ?? [:] where existing[name] == nil {
                    existing[name] = entry
                }
                components[section] = existing
            }
            document["components"] = components
        }
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]) else {
            return base
        }
        return tidy(String(decoding: data, as: UTF8.self))
    }

    private static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// Writes each member as `"key": value`, as the hand-written document does (Foundation's
    /// pretty printer writes `"key" : value`).
    static func tidy(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let quote = line.firstIndex(of: "\""), line[..<quote].allSatisfy({ $0 == " " }) else { return String(line) }
            var index = line.index(after: quote)
            while index < line.endIndex {
                if line[index] == "\\" {
                    index = line.index(index, offsetBy: 2, limitedBy: line.endIndex) ?? line.endIndex
                    continue
                }
                if line[index] == "\"" { break }
                index = line.index(after: index)
            }
            guard index < line.endIndex else { return String(line) }
            let rest = line[line.index(after: index)...]
            guard rest.hasPrefix(" : ") else { return String(line) }
            return String(line[...index]) + ": " + rest.dropFirst(3)
        }.joined(separator: "\n")
    }
}
