import Foundation
import Synchronization
@testable import ACME

/// A clock that does not wait: `sleep` records the duration and moves time on by it.
final class TestClock: ACMEClock {
    private struct State {
        var offset: Duration = .zero
        var sleeps: [Duration] = []
    }

    private let start = ContinuousClock.now
    let wallStart: Date
    private let state = Mutex(State())

    init(wallStart: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        self.wallStart = wallStart
    }

    func now() -> ContinuousClock.Instant {
        self.start + self.state.withLock { $0.offset }
    }

    func wallClockNow() -> Date {
        self.wallStart.addingTimeInterval(self.state.withLock { $0.offset }.testSeconds)
    }

    func sleep(for duration: Duration) async throws {
        self.state.withLock {
            $0.sleeps.append(duration)
            $0.offset += duration
        }
    }

    /// Every sleep so far, in order.
    var sleeps: [Duration] { self.state.withLock { $0.sleeps } }

    /// Moves time on without a sleep (work that takes time).
    func advance(by duration: Duration) {
        self.state.withLock { $0.offset += duration }
    }
}

extension Duration {
    var testSeconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
