/// Go's `time.Duration.String()`, which Traefik writes in `X-Retry-In`: `500ms`, `1.5s`, `1m30s`.
enum GoDuration {
    static func string(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let ns = nanoseconds.magnitude
        var text: String
        if ns < 1_000 {
            text = "\(ns)ns"
        } else if ns < 1_000_000 {
            text = fraction(ns, unit: 1_000) + "µs"
        } else if ns < 1_000_000_000 {
            text = fraction(ns, unit: 1_000_000) + "ms"
        } else {
            let hours = ns / 3_600_000_000_000
            let minutes = (ns / 60_000_000_000) % 60
            let seconds = fraction(ns % 60_000_000_000, unit: 1_000_000_000) + "s"
            text = hours > 0 ? "\(hours)h\(minutes)m\(seconds)" : minutes > 0 ? "\(minutes)m\(seconds)" : seconds
        }
        return negative ? "-" + text : text
    }

    /// `value / unit` with the fraction's trailing zeros dropped.
    private static func fraction(_ value: UInt64, unit: UInt64) -> String {
        let whole = value / unit
        let rest = value % unit
        guard rest != 0 else { return "\(whole)" }
        var digits = String(rest)
        let width = String(unit).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
