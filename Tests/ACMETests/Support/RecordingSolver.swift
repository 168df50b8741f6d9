import Synchronization
import Testing
@testable import ACME

/// A solver that publishes nothing and remembers what it was asked, for tests against the
/// in-memory CA (which does not look at answers).
final class RecordingSolver: ACMEChallengeSolver {
    private struct State {
        var presented: [ACMEChallengeAnswer] = []
        var cleanedUp: [ACMEChallengeAnswer] = []
    }

    let types: Set<ACMEChallenge.ChallengeType>
    let failPresent: Bool
    private let state = Mutex(State())

    init(types: Set<ACMEChallenge.ChallengeType> = [.http01, .dns01, .tlsALPN01], failPresent: Bool = false) {
        self.types = types
        self.failPresent = failPresent
    }

    struct PresentFailure: Error, CustomStringConvertible {
        var description: String { "the test solver refuses to present" }
    }

    func canSolve(_ type: ACMEChallenge.ChallengeType, for identifier: ACMEIdentifier) -> Bool {
        self.types.contains(type)
    }

    func present(_ answer: ACMEChallengeAnswer) async throws {
        if self.failPresent { throw PresentFailure() }
        self.state.withLock { $0.presented.append(answer) }
    }

    func cleanUp(_ answer: ACMEChallengeAnswer) async throws {
        self.state.withLock { $0.cleanedUp.append(answer) }
    }

    var presented: [ACMEChallengeAnswer] { self.state.withLock { $0.presented } }
    var cleanedUp: [ACMEChallengeAnswer] { self.state.withLock { $0.cleanedUp } }
}
