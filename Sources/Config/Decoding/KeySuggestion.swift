/// Finds the known key closest to a misspelt one.
enum KeySuggestion {
    /// The candidate with the smallest case-insensitive edit distance, if it is close enough
    /// (at most a third of the key's length, and at least 1 or at most 3 edits).
    static func closest(to key: String, in candidates: [String]) -> String? {
        let lowerKey = Array(key.lowercased())
        var best: (candidate: String, distance: Int)?
        var seen = Set<String>()
        for candidate in candidates where seen.insert(candidate).inserted {
            let distance = levenshtein(lowerKey, Array(candidate.lowercased()))
            if best == nil || distance < best!.distance {
                best = (candidate, distance)
            }
        }
        guard let best else { return nil }
        let limit = max(1, min(3, (lowerKey.count + 2) / 3))
        return best.distance <= limit ? best.candidate : nil
    }

    static func levenshtein(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
