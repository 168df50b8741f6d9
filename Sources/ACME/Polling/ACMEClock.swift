import Foundation

/// Time as the client sees it: a monotonic clock for deadlines, the wall clock for HTTP dates,
/// and sleeping. Tests replace it to run polling without waiting.
protocol ACMEClock: Sendable {
    func now() -> ContinuousClock.Instant
    func wallClockNow() -> Date
    func sleep(for duration: Duration) async throws
}

/// The real clocks.
struct SystemACMEClock: ACMEClock {
    func now() -> ContinuousClock.Instant { ContinuousClock.now }
    func wallClockNow() -> Date { Date() }
    func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
