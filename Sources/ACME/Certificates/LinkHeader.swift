import Foundation

/// `Link` header fields (RFC 8288), as ACME uses them: `rel="alternate"` chains,
/// `rel="up"`, `rel="index"`.
enum LinkHeader {
    struct Link: Equatable {
        var target: String
        var relations: [String]
    }

    /// Parses every link in `values` (several fields, each possibly with several links) and
    /// resolves relative targets against `base`.
    static func parse(_ values: [String], base: String?) -> [Link] {
        var links: [Link] = []
        for value in values {
            var rest = Substring(value)
            while let open = rest.firstIndex(of: "<") {
                guard let close = rest[open...].firstIndex(of: ">") else { break }
                let target = String(rest[rest.index(after: open)..<close])
                rest = rest[rest.index(after: close)...]
                // Parameters run to the next comma that is not inside quotes.
                var parameters = ""
                var inQuotes = false
                var index = rest.startIndex
                while index < rest.endIndex {
                    let character = rest[index]
                    if character == "\"" { inQuotes.toggle() }
                    if character == ",", !inQuotes { break }
                    parameters.append(character)
                    index = rest.index(after: index)
                }
                rest = index < rest.endIndex ? rest[rest.index(after: index)...] : ""
                var relations: [String] = []
                for parameter in parameters.split(separator: ";") {
                    let pair = parameter.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                    guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                    let rel = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    relations += rel.split(separator: " ").map { $0.lowercased() }
                }
                links.append(Link(target: resolve(target, base: base), relations: relations))
            }
        }
        return links
    }

    /// The targets of every link with relation `rel`.
    static func targets(_ values: [String], rel: String, base: String?) -> [String] {
        parse(values, base: base).filter { $0.relations.contains(rel) }.map(\.target)
    }

    /// `target` made absolute against `base` when it is relative.
    static func resolve(_ target: String, base: String?) -> String {
        guard let base, let baseURL = URL(string: base), URL(string: target)?.scheme == nil,
              let resolved = URL(string: target, relativeTo: baseURL)
        else { return target }
        return resolved.absoluteString
    }
}
