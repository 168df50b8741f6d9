/// The little XML Route 53's REST API needs: escaping text for request bodies, and reading the
/// text of named elements out of its answers.
///
/// Route 53's answers are flat, namespaced documents without mixed content or CDATA, so finding
/// `<Name>…</Name>` pairs in order is enough; a full parser would add a libxml2 dependency.
enum Route53XML {
    /// `text` with `& < > " '` escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The inner markup of every `<tag>…</tag>` (also `<tag attr="…">`) in `document`, in order,
    /// not decoded (children are kept as markup; see ``text(_:in:)`` and ``unescape(_:)``).
    static func elements(_ tag: String, in document: Substring) -> [Substring] {
        var found: [Substring] = []
        var rest = document[...]
        let close = "</\(tag)>"
        while let open = rest.range(of: "<\(tag)") {
            let after = rest[open.upperBound...]
            guard let next = after.first, next == ">" || next == " " || next == "/" else {
                rest = after
                continue
            }
            guard let end = after.firstIndex(of: ">") else { break }
            if end > after.startIndex, after[after.index(before: end)] == "/" {  // <tag/>
                found.append(after[end..<end])
                rest = after[after.index(after: end)...]
                continue
            }
            let contentStart = after.index(after: end)
            guard let closing = after[contentStart...].range(of: close) else { break }
            found.append(after[contentStart..<closing.lowerBound])
            rest = after[closing.upperBound...]
        }
        return found
    }

    /// The decoded text of the first `<tag>` in `document`.
    static func text(_ tag: String, in document: Substring) -> String? {
        elements(tag, in: document).first.map { unescape(String($0)) }
    }

    /// Decodes `&amp; &lt; &gt; &quot; &apos;` and numeric references.
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                if let number, let scalar = Unicode.Scalar(number) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += "&\(entity);"
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
