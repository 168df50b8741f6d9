/// A content type as configured in `excludedContentTypes`/`includedContentTypes`: compared with a
/// response's `Content-Type` case-insensitively, ignoring whitespace; parameters given in the
/// pattern must be present with the same values (`text/html` matches
/// `text/html; charset=utf-8`, not the other way around).
struct MediaTypePattern: Sendable, Equatable {
    let mediaType: String
    let parameters: [String: String]

    /// Parses `value`; `nil` when it has no media type.
    init?(_ value: String) {
        let compact = String(value.lowercased().filter { !$0.isWhitespace })
        var parts = compact.split(separator: ";")
        guard let first = parts.first, first.contains("/") else { return nil }
        mediaType = String(first)
        parts.removeFirst()
        var parameters: [String: String] = [:]
        for part in parts {
            guard let eq = part.firstIndex(of: "=") else { continue }
            var value = part[part.index(after: eq)...]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
            parameters[String(part[..<eq])] = String(value)
        }
        self.parameters = parameters
    }

    /// Whether a response of content type `contentType` matches.
    func matches(_ contentType: MediaTypePattern) -> Bool {
        guard contentType.mediaType == mediaType else { return false }
        return parameters.allSatisfy { contentType.parameters[$0.key] == $0.value }
    }
}
