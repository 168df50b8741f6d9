/// Status codes as the errors middleware lists them: `"500"`, `"500-599"`, or several of those
/// separated by commas (`"400-404,500"`); ranges include both ends.
struct StatusRanges: Sendable, Equatable {
    let ranges: [ClosedRange<Int>]

    /// Parses `entries`.
    ///
    /// - Throws: ``StatusRangeError`` naming the entry that is not a status or a range of them.
    init(_ entries: [String]) throws(StatusRangeError) {
        var ranges: [ClosedRange<Int>] = []
        for (index, entry) in entries.enumerated() {
            for part in entry.split(separator: ",", omittingEmptySubsequences: false) {
                let item = part.trimmingWhitespace()
                let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                guard let low = bounds.first.flatMap({ Int($0.trimmingWhitespace()) }),
                      let high = bounds.count == 2 ? Int(bounds[1].trimmingWhitespace()) : low,
                      (100...999).contains(low), (100...999).contains(high), low <= high else {
                    throw StatusRangeError(index: index, entry: entry)
                }
                ranges.append(low...high)
            }
        }
        self.ranges = ranges
    }

    /// Whether `status` is in one of the ranges.
    func contains(_ status: Int) -> Bool {
        ranges.contains { $0.contains(status) }
    }
}

/// An entry of a status list that is not a status code or a range of them.
struct StatusRangeError: Error, CustomStringConvertible {
    /// The entry's position in the list.
    let index: Int
    /// The entry as configured.
    let entry: String

    var description: String { "\"\(entry)\" is not a status code or a range of them such as \"500-599\"" }
}
