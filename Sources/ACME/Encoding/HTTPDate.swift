import Foundation

/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms
/// that recipients must still accept.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func date(from text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        if parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
           let day = Int(parts[1]), let month = month(parts[2]), let year = Int(parts[3]), parts[3].count == 4 {
            return build(year: year, month: month, day: day, time: parts[4])
        }
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        if parts.count == 4, parts[0].hasSuffix(","), parts[3] == "GMT" {
            let date = parts[1].split(separator: "-").map(String.init)
            if date.count == 3, let day = Int(date[0]), let month = month(date[1]), let shortYear = Int(date[2]) {
                let year = shortYear < 70 ? 2000 + shortYear : (shortYear < 100 ? 1900 + shortYear : shortYear)
                return build(year: year, month: month, day: day, time: parts[2])
            }
        }
        // asctime: Sun Nov  6 08:49:37 1994
        if parts.count == 5, let month = month(parts[1]), let day = Int(parts[2]), let year = Int(parts[4]) {
            return build(year: year, month: month, day: day, time: parts[3])
        }
        return nil
    }

    private static func month(_ text: String) -> Int? {
        months.firstIndex(of: text.lowercased()).map { $0 + 1 }
    }

    private static func build(year: Int, month: Int, day: Int, time: String) -> Date? {
        let fields = time.split(separator: ":").compactMap { Int($0) }
        guard fields.count == 3, fields[0] < 24, fields[1] < 60, fields[2] <= 60 else { return nil }
        return RFC3339.utcDate(year: year, month: month, day: day, hour: fields[0], minute: fields[1], second: fields[2])
    }
}
