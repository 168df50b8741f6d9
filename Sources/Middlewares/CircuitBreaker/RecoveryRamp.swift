import NIOCore

/// Which requests a recovering circuit breaker lets through (oxy's ratio controller): the share
/// let through follows `0.5 × elapsed / recoveryDuration`, growing linearly from none to half at
/// the end of the recovery; a request is let through when letting it through keeps the share
/// below that target.
struct RecoveryRamp {
    private let start: NIODeadline
    private let duration: TimeAmount
    private var allowed = 0
    private var denied = 0

    /// A ramp that starts at `start` and lasts `duration`.
    init(start: NIODeadline, duration: TimeAmount) {
        self.start = start
        self.duration = duration
    }

    /// The share of requests to let through at `now`.
    func target(at now: NIODeadline) -> Double {
        guard duration.nanoseconds > 0 else { return 1 }
        return 0.5 * Double((now - start).nanoseconds) / Double(duration.nanoseconds)
    }

    /// Whether to let one more request through at `now`; counts the decision.
    mutating func allowRequest(at now: NIODeadline) -> Bool {
        let share = Double(allowed + 1) / Double(allowed + 1 + denied)
        if share < target(at: now) {
            allowed += 1
            return true
        }
        denied += 1
        return false
    }
}
