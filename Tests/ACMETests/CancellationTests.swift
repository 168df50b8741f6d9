import Foundation
import Synchronization
import Testing
@testable import ACME

@Suite struct CancellationTests {
    /// Records whether clean-up ran in a cancelled task.
    final class CancellationAwareSolver: ACMEChallengeSolver {
        let presented = Mutex(0)
        let cleanUps = Mutex<[Bool]>([])

        func canSolve(_ type: ACMEChallenge.ChallengeType, for identifier: ACMEIdentifier) -> Bool { type == .http01 }

        func present(_ answer: ACMEChallengeAnswer) async throws {
            self.presented.withLock { $0 += 1 }
        }

        func cleanUp(_ answer: ACMEChallengeAnswer) async throws {
            let cancelled = Task.isCancelled
            self.cleanUps.withLock { $0.append(cancelled) }
        }
    }

    @Test func cancelledIssuanceStillCleansUpOutsideTheCancellation() async throws {
        // The CA never finishes validating; the real clock makes the client wait.
        let ca = try MockCA(options: .init(pendingPolls: 1_000_000))
        let client = ACMEClient(directoryURL: MockCA.directoryURL, accountKey: try .generate(), transport: ca)
        try await client.createAccount()
        let solver = CancellationAwareSolver()
        let issuing = Task {
            try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate()), solver: solver
            )
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while solver.presented.withLock({ $0 }) == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(100))
        issuing.cancel()
        let result = await issuing.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(solver.cleanUps.withLock { $0 } == [false])
    }
}
