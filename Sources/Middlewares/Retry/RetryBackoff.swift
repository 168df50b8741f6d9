import Foundation
import NIOCore

/// The waits between attempts of the `retry` middleware, as Traefik computes them: an
/// exponential series that starts at `initialInterval` and reaches twice that before the last
/// attempt (multiplier 2^(1/(attempts−1))), each wait randomized by ±50 % so that clients that
/// failed together do not come back together. No `initialInterval` (or fewer than two attempts)
/// means no wait.
public struct RetryBackoff: Sendable, Equatable {
    /// Attempts in all, the first one included (at least 1).
    public let attempts: Int
    /// The first wait; zero retries at once.
    public let initialInterval: TimeAmount
    /// How far a wait may stray from its base value, as a fraction of it (Traefik's 0.5).
    public static let randomization = 0.5

    /// A schedule for `attempts` tries in all (clamped to at least 1), the first retry after
    /// about `initialInterval`.
    public init(attempts: Int, initialInterval: TimeAmount = .zero) {
        self.attempts = max(1, attempts)
        self.initialInterval = max(.zero, initialInterval)
    }

    /// The growth of the wait from one retry to the next.
    public var multiplier: Double {
        attempts < 2 ? 1 : pow(2, 1 / Double(attempts - 1))
    }

    /// The wait before retry number `retry` (1 for the second attempt) before randomization.
    public func baseDelay(beforeRetry retry: Int) -> TimeAmount {
        guard attempts >= 2, initialInterval > .zero, retry >= 1 else { return .zero }
        var factor = 1.0
        for _ in 1..<retry { factor *= multiplier }
        return .nanoseconds(Int64(Double(initialInterval.nanoseconds) * factor))
    }

    /// The wait before retry number `retry`, with `unit` (in 0..<1, random in use) placing it
    /// within ±``randomization`` of ``baseDelay(beforeRetry:)``.
    public func delay(beforeRetry retry: Int, unit: Double = Double.random(in: 0..<1)) -> TimeAmount {
        let base = Double(baseDelay(beforeRetry: retry).nanoseconds)
        guard base > 0 else { return .zero }
        let spread = base * Self.randomization
        return .nanoseconds(Int64(base - spread + unit * 2 * spread))
    }
}
