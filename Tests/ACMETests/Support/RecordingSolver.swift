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

/// Collects issuance events.
final class EventLog: Sendable {
    private let events = Mutex<[ACMEIssuanceEvent]>([])

    func record(_ event: ACMEIssuanceEvent) {
        self.events.withLock { $0.append(event) }
    }

    var all: [ACMEIssuanceEvent] { self.events.withLock { $0 } }
}

/// A client on the in-memory CA with a clock that does not wait.
func makeClient(
    _ ca: MockCA,
    key: ACMEPrivateKey? = nil,
    accountURL: String? = nil,
    clock: TestClock = TestClock(),
    polling: ACMEPollingPolicy = .default,
    badNonceRetries: Int = 1
) throws -> ACMEClient {
    ACMEClient(
        directoryURL: MockCA.directoryURL, accountKey: try key ?? ACMEPrivateKey.generate(), accountURL: accountURL,
        transport: ca, polling: polling, badNonceRetries: badNonceRetries,
        logger: .init(label: "test.acme"), clock: clock
    )
}

/// The ACMEError `body` throws; records an issue and returns nil when it throws something
/// else or nothing.
func acmeError<T>(_ body: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation) async -> ACMEError? {
    do {
        _ = try await body()
        Issue.record("expected an ACMEError, got success", sourceLocation: sourceLocation)
    } catch let error as ACMEError {
        return error
    } catch {
        Issue.record("expected an ACMEError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
