/// A Traefik duration, stored as whole nanoseconds.
///
/// Accepted forms, as Traefik accepts them:
/// - Go duration strings: `"10s"`, `"1m30s"`, `"250ms"`, `"1h"`, `"2.5s"`, `"-1s"`, `"0"`
///   (units `ns`, `us`/`µs`, `ms`, `s`, `m`, `h`);
/// - a bare integer, quoted or not (`42`, `"42"`): seconds;
/// - a bare decimal number (`2.5`): seconds.
///
/// A zero duration usually means "no limit" where Traefik documents it so; the
/// options that do say so in their doc comments. Negative values are kept as
/// written (e.g. `flushInterval: -1ms` meaning "flush after every write").
public struct ConfigDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in nanoseconds (may be negative).
    public var nanoseconds: Int64

    /// A duration of `nanoseconds` nanoseconds.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// Parses a duration in any of the accepted forms; `nil` when the text is not a duration.
    public init?(_ text: String) {
        guard case .success(let value) = Self.parse(text) else { return nil }
        self = value
    }

    /// No time at all; for timeouts, "no limit".
    public static let zero = ConfigDuration(nanoseconds: 0)

    /// A duration of whole seconds.
    public static func seconds(_ seconds: Int64) -> ConfigDuration {
        ConfigDuration(nanoseconds: seconds * 1_000_000_000)
    }

    /// A duration of whole milliseconds.
    public static func milliseconds(_ milliseconds: Int64) -> ConfigDuration {
        ConfigDuration(nanoseconds: milliseconds * 1_000_000)
    }

    /// A duration of whole minutes.
    public static func minutes(_ minutes: Int64) -> ConfigDuration {
        .seconds(minutes * 60)
    }

    /// A duration of whole hours.
    public static func hours(_ hours: Int64) -> ConfigDuration {
        .seconds(hours * 3600)
    }

    /// The same length as a `Swift.Duration`.
    public var duration: Duration {
        .nanoseconds(nanoseconds)
    }

    /// The length in seconds, as a floating-point number.
    public var seconds: Double {
        Double(nanoseconds) / 1_000_000_000
    }

    /// Whether the duration is exactly zero (often "no limit").
    public var isZero: Bool { nanoseconds == 0 }

    /// Whether the duration is negative.
    public var isNegative: Bool { nanoseconds < 0 }

    public static func < (lhs: ConfigDuration, rhs: ConfigDuration) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// Go's formatting: `0s`, `250ms`, `1.5s`, `1m30s`, `1h0m0s`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000 {
            text = "\(magnitude)ns"
        } else if magnitude < 1_000_000 {
            text = Self.decimal(magnitude, 1_000) + "µs"
        } else if magnitude < 1_000_000_000 {
            text = Self.decimal(magnitude, 1_000_000) + "ms"
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = magnitude % 60_000_000_000
            text = ""
            if hours > 0 { text += "\(hours)h" }
            if hours > 0 || minutes > 0 { text += "\(minutes)m" }
            text += Self.decimal(seconds, 1_000_000_000) + "s"
        }
        return negative ? "-" + text : text
    }

    private static func decimal(_ value: UInt64, _ unit: UInt64) -> String {
        let whole = value / unit
        var fraction = value % unit
        guard fraction > 0 else { return "\(whole)" }
        var digits = String(fraction)
        let width = String(unit).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        fraction = 0
        return "\(whole).\(digits)"
    }

    /// Parses text; on failure returns the reason.
    static func parse(_ text: String) -> Result<ConfigDuration, ParseFailure> {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return .failure(ParseFailure(reason: "empty duration")) }
        // Bare integer: seconds (Traefik's rule for durations without a unit).
        if let integer = Int64(Int.normalizedIntegerText(trimmed)) {
            let (value, overflow) = integer.multipliedReportingOverflow(by: 1_000_000_000)
            return overflow ? .failure(ParseFailure(reason: "duration out of range")) : .success(ConfigDuration(nanoseconds: value))
        }
        // Bare decimal number: seconds.
        if trimmed.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }),
           let number = Double(trimmed), number.isFinite {
            let nanos = (number * 1_000_000_000).rounded()
            guard abs(nanos) < 9.2e18 else { return .failure(ParseFailure(reason: "duration out of range")) }
            return .success(ConfigDuration(nanoseconds: Int64(nanos)))
        }
        return parseGo(trimmed)
    }

    struct ParseFailure: Error {
        var reason: String
    }

    /// Go's `time.ParseDuration`.
    private static func parseGo(_ text: String) -> Result<ConfigDuration, ParseFailure> {
        let invalid = ParseFailure(reason: "invalid duration \"\(text)\" (expected e.g. 10s, 1m30s, 250ms, 1h)")
        var chars = Array(text.unicodeScalars)
        var negative = false
        if let first = chars.first, first == "-" || first == "+" {
            negative = first == "-"
            chars.removeFirst()
        }
        guard !chars.isEmpty else { return .failure(invalid) }
        var total: Int64 = 0
        var index = 0
        while index < chars.count {
            // Number: digits, optional fraction.
            var wholeDigits = ""
            var fractionDigits = ""
            while index < chars.count, chars[index].properties.numericType != nil, chars[index].isASCII {
                wholeDigits.unicodeScalars.append(chars[index]); index += 1
            }
            if index < chars.count, chars[index] == "." {
                index += 1
                while index < chars.count, chars[index].properties.numericType != nil, chars[index].isASCII {
                    fractionDigits.unicodeScalars.append(chars[index]); index += 1
                }
            }
            guard !wholeDigits.isEmpty || !fractionDigits.isEmpty else { return .failure(invalid) }
            // Unit.
            var unit = ""
            while index < chars.count, chars[index] != ".", !(chars[index].isASCII && chars[index].properties.numericType != nil) {
                unit.unicodeScalars.append(chars[index]); index += 1
            }
            let scale: Int64
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1_000
            case "ms": scale = 1_000_000
            case "s": scale = 1_000_000_000
            case "m": scale = 60_000_000_000
            case "h": scale = 3_600_000_000_000
            case "": return .failure(ParseFailure(reason: "missing unit in duration \"\(text)\""))
            default: return .failure(ParseFailure(reason: "unknown unit \"\(unit)\" in duration \"\(text)\""))
            }
            guard let whole = Int64(wholeDigits.isEmpty ? "0" : wholeDigits) else {
                return .failure(ParseFailure(reason: "duration out of range"))
            }
            let (wholeNanos, overflow1) = whole.multipliedReportingOverflow(by: scale)
            var fractionNanos: Int64 = 0
            if !fractionDigits.isEmpty, let fraction = Double("0." + fractionDigits) {
                fractionNanos = Int64((fraction * Double(scale)).rounded())
            }
            let (partial, overflow2) = wholeNanos.addingReportingOverflow(fractionNanos)
            let (sum, overflow3) = total.addingReportingOverflow(partial)
            if overflow1 || overflow2 || overflow3 { return .failure(ParseFailure(reason: "duration out of range")) }
            total = sum
        }
        return .success(ConfigDuration(nanoseconds: negative ? -total : total))
    }
}

extension ConfigDuration: ConfigDecodable, ConfigNullMeansAbsent {
    init(from reader: ConfigReader) throws(ConfigError) {
        let text = try reader.scalarText()
        switch Self.parse(text) {
        case .success(let value):
            self = value
        case .failure(let failure):
            throw reader.error(.invalidValue, failure.reason)
        }
    }
}
