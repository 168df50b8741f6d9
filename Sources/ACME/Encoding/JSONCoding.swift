import Foundation

/// The JSON coders the client uses: compact, sorted keys (deterministic JWS input), slashes
/// not escaped, RFC 3339 dates.
enum ACMEJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an RFC 3339 date: \(text)"
                )
            }
            return date
        }
        return decoder
    }

    static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        try encoder().encode(value)
    }
}

/// RFC 3339 timestamps (`2025-01-02T03:04:05Z`, fractional seconds of any length, offsets).
enum RFC3339 {
    static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 20,
              let year = number(0..<4), bytes[4] == UInt8(ascii: "-"),
              let month = number(5..<7), bytes[7] == UInt8(ascii: "-"),
              let day = number(8..<10), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let hour = number(11..<13), bytes[13] == UInt8(ascii: ":"),
              let minute = number(14..<16), bytes[16] == UInt8(ascii: ":"),
              let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, let offsetHours = number(index + 1..<index + 3),
                  bytes[index + 3] == UInt8(ascii: ":"), let offsetMinutes = number(index + 4..<index + 6)
            else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        guard let base = Self.utcDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return base.addingTimeInterval(fraction - Double(offsetSeconds))
    }

    static func string(from date: Date) -> String {
        let components = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ",
            components.year ?? 0, components.month ?? 0, components.day ?? 0,
            components.hour ?? 0, components.minute ?? 0, components.second ?? 0
        )
    }

    static func utcDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = second
        guard let date = utcCalendar.date(from: components),
              utcCalendar.component(.day, from: date) == day || second == 60
        else { return nil }
        return date
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

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
