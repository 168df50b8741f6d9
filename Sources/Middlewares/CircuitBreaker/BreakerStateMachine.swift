import NIOCore

/// The states of a circuit breaker and the moves between them, as oxy's `cbreaker` makes them:
///
/// - **standby**: every request goes through; its answer is counted. At most once per check
///   period, after an answer, the expression is evaluated; when it holds the breaker trips and
///   the statistics are forgotten.
/// - **tripped**: every request is answered by the breaker until the fallback duration is over,
///   then the breaker recovers.
/// - **recovering**: a linearly growing share of the requests (``RecoveryRamp``) goes through and
///   is counted; the expression is still checked and trips the breaker again when it holds. When
///   the recovery duration is over the breaker is back in standby.
///
/// Time comes from the caller, so tests drive it with a clock of their own.
struct BreakerStateMachine {
    /// The states, without their details.
    enum State: Sendable, Equatable {
        case standby, tripped, recovering
    }

    private enum Phase {
        case standby
        case tripped(until: NIODeadline)
        case recovering(until: NIODeadline, ramp: RecoveryRamp)
    }

    private let expression: BreakerExpression
    private let checkPeriod: TimeAmount
    private let fallbackDuration: TimeAmount
    private let recoveryDuration: TimeAmount
    private var phase = Phase.standby
    /// The expression is evaluated after an answer later than this; `nil` before the first check.
    private var checkedUntil: NIODeadline?
    private(set) var statistics = RollingStatistics()

    init(expression: BreakerExpression, checkPeriod: TimeAmount, fallbackDuration: TimeAmount, recoveryDuration: TimeAmount) {
        self.expression = expression
        self.checkPeriod = checkPeriod
        self.fallbackDuration = fallbackDuration
        self.recoveryDuration = recoveryDuration
    }

    /// The current state.
    var state: State {
        switch phase {
        case .standby: .standby
        case .tripped: .tripped
        case .recovering: .recovering
        }
    }

    /// Whether the breaker answers a request arriving at `now` itself (rather than letting it
    /// through). Moves from tripped to recovering and from recovering to standby when their time
    /// is over.
    mutating func answersRequest(at now: NIODeadline) -> Bool {
        switch phase {
        case .standby:
            return false
        case .tripped(let until):
            if now < until { return true }
            phase = .recovering(until: now + recoveryDuration, ramp: RecoveryRamp(start: now, duration: recoveryDuration))
            return admitWhileRecovering(at: now)
        case .recovering:
            return admitWhileRecovering(at: now)
        }
    }

    private mutating func admitWhileRecovering(at now: NIODeadline) -> Bool {
        guard case .recovering(let until, var ramp) = phase else { return false }
        if now > until {
            phase = .standby
            return false
        }
        let allowed = ramp.allowRequest(at: now)
        phase = .recovering(until: until, ramp: ramp)
        return !allowed
    }

    /// Counts the answer to a request the breaker let through, then checks the expression if a
    /// check period has passed since the last check.
    mutating func recordAnswer(status: Int, at now: NIODeadline) {
        statistics.recordAnswer(status: status, at: now)
        if let checkedUntil, now <= checkedUntil { return }
        checkedUntil = now + checkPeriod
        if case .tripped = phase { return }
        guard expression.evaluate(value: { statistics.value(of: $0, at: now) }) else { return }
        phase = .tripped(until: now + fallbackDuration)
        statistics.reset()
    }

    /// Counts how long a request the breaker let through took.
    mutating func recordLatency(_ latency: TimeAmount, at now: NIODeadline) {
        statistics.recordLatency(latency, at: now)
    }
}
