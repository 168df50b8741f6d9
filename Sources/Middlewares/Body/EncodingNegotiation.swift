/// Chooses the content coding of a response from the request's `Accept-Encoding`, as Traefik's
/// compress middleware does.
///
/// Codings the client lists with the highest q-value win; among equals, the configured order
/// decides. `*` stands for the configured default encoding, or else the most preferred one;
/// `identity` (or nothing acceptable) means no compression; q=0 refuses a coding. No
/// `Accept-Encoding` at all means the default encoding, if one is configured; an empty one
/// means no compression (RFC 9110 §12.5.3).
struct EncodingNegotiation: Sendable {
    /// The codings served, most preferred first.
    let preferred: [ContentCoding]
    /// The coding used when the request has no `Accept-Encoding` or accepts `*`.
    let defaultCoding: ContentCoding?

    /// The coding for a request whose `Accept-Encoding` header lines are `values` (none: absent).
    func coding(acceptEncoding values: [String]) -> ContentCoding? {
        if values.isEmpty { return defaultCoding }
        var best: (name: Substring, q: Double, rank: Int)?
        for line in values {
            for item in line.split(separator: ",") {
                let parts = item.split(separator: ";", maxSplits: 1)
                guard let first = parts.first else { continue }
                let name = first.trimmingWhitespace().lowercased()[...]
                let rank: Int
                if let index = preferred.firstIndex(where: { $0.rawValue == name }) {
                    rank = index
                } else if name == "*" || name == "identity" {
                    rank = preferred.count
                } else {
                    continue  // a coding not served here (zstd, deflate …) takes no part
                }
                var q = 1.0
                if parts.count == 2 {
                    let parameter = parts[1].trimmingWhitespace()
                    guard parameter.lowercased().hasPrefix("q="), let value = Double(parameter.dropFirst(2)),
                          value >= 0, value <= 1 else { continue }
                    q = value
                }
                guard q > 0 else { continue }
                if let current = best, current.q > q || (current.q == q && current.rank <= rank) { continue }
                best = (name, q, rank)
            }
        }
        guard let best else { return nil }
        switch best.name {
        case "identity": return nil
        case "*": return defaultCoding ?? preferred.first
        default: return ContentCoding(rawValue: String(best.name))
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
