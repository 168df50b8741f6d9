import NIOCore

/// Keeps repeated warnings from flooding the log: a warning with a given key is allowed once per
/// interval; the rest go to debug level. Bounded: the keys are forgotten when there are too many.
struct UDPWarningLimiter {
    let interval: TimeAmount
    private var lastAllowed: [String: NIODeadline] = [:]
    private static let maxKeys = 1024

    init(interval: TimeAmount) {
        self.interval = interval
    }

    /// Whether a warning with `key` may be logged at `now`; records it when so.
    mutating func allow(_ key: String, now: NIODeadline) -> Bool {
        if let last = lastAllowed[key], now - last < interval { return false }
        if lastAllowed.count >= Self.maxKeys { lastAllowed.removeAll(keepingCapacity: true) }
        lastAllowed[key] = now
        return true
    }
}
