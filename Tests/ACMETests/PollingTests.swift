import Foundation
import Synchronization
import Testing
@testable import ACME

@Suite struct PollingTests {
    /// Places an order for one name, answers its HTTP-01 challenge and waits for the
    /// authorization, on a CA configured by `options`.
    private func waitForOneAuthorization(
        _ options: MockCA.Options,
        clock: TestClock,
        polling: ACMEPollingPolicy = .default
    ) async throws -> (MockCA, Result<ACMEAuthorization, any Error>) {
        let ca = try MockCA(options: options)
        let client = try makeClient(ca, clock: clock, polling: polling)
        try await client.createAccount()
        let order = try await client.newOrder(identifiers: [.dns("example.com")])
        let authorization = try await client.authorization(at: order.authorizations[0])
        try await client.respond(to: try #require(authorization.challenge(ofType: .http01)))
        do {
            return (ca, .success(try await client.waitForAuthorization(at: authorization.url)))
        } catch {
            return (ca, .failure(error))
        }
    }

    @Test func retryAfterSecondsIsHonoured() async throws {
        let clock = TestClock()
        let (_, result) = try await waitForOneAuthorization(.init(pendingPolls: 2, retryAfter: "3"), clock: clock)
        #expect(try result.get().status == .valid)
        #expect(clock.sleeps == [.seconds(3), .seconds(3)])
    }

    @Test func retryAfterHTTPDateIsHonoured() async throws {
        let clock = TestClock()
        // The test clock's wall time is 2026-01-01T00:00:00Z; the CA asks for 00:00:05.
        let (_, result) = try await waitForOneAuthorization(
            .init(pendingPolls: 1, retryAfter: "Thu, 01 Jan 2026 00:00:05 GMT"), clock: clock
        )
        #expect(try result.get().status == .valid)
        #expect(clock.sleeps == [.seconds(5)])
    }

    @Test func retryAfterIsClampedToTheMaximum() async throws {
        let clock = TestClock()
        let (_, result) = try await waitForOneAuthorization(.init(pendingPolls: 1, retryAfter: "86400"), clock: clock)
        #expect(try result.get().status == .valid)
        #expect(clock.sleeps == [ACMEPollingPolicy.default.maximumRetryAfter])
    }

    @Test func withoutRetryAfterTheIntervalStartsShortAndGrows() async throws {
        let clock = TestClock()
        let (_, result) = try await waitForOneAuthorization(.init(pendingPolls: 7), clock: clock)
        #expect(try result.get().status == .valid)
        #expect(clock.sleeps == [
            .milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400),
            .milliseconds(800), .milliseconds(1600), .seconds(2),
        ])
    }

    @Test func waitingStopsAtTheDeadline() async throws {
        let clock = TestClock()
        let polling = ACMEPollingPolicy(timeout: .seconds(5))
        let (_, result) = try await waitForOneAuthorization(.init(pendingPolls: 1000), clock: clock, polling: polling)
        guard case .failure(let failure) = result, let error = failure as? ACMEError else {
            Issue.record("expected a timeout, got \(result)")
            return
        }
        #expect(error.code == .timeout)
        #expect(error.step == .waitForAuthorization)
        #expect(error.description.contains("still pending"))
        let waited = clock.sleeps.reduce(Duration.zero, +)
        #expect(waited == .seconds(5))
    }

    @Test(arguments: [
        ("120", Duration.seconds(120)),
        ("0", Duration.zero),
        ("Thu, 01 Jan 2026 00:01:00 GMT", Duration.seconds(60)),
        ("Thursday, 01-Jan-26 00:00:30 GMT", Duration.seconds(30)),
        ("Thu Jan  1 00:00:10 2026", Duration.seconds(10)),
        ("Wed, 31 Dec 2025 23:00:00 GMT", Duration.zero),
    ])
    func retryAfterParsing(header: String, expected: Duration) {
        let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        #expect(RetryAfter.delay(header, now: now) == expected)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Thu, 32 Jan 2026 00:00:00 GMT"])
    func unreadableRetryAfterIsIgnored(header: String) {
        #expect(RetryAfter.delay(header, now: Date()) == nil)
    }
}

@Suite struct IssuancePollingTests {
    @Test func retryAfterOnFinalizeAndProcessingOrderIsHonoured() async throws {
        let clock = TestClock()
        let ca = try MockCA(options: .init(pendingPolls: 0, processingPolls: 1, retryAfter: "2"))
        let client = try makeClient(ca, clock: clock)
        try await client.createAccount()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate()), solver: RecordingSolver()
        )
        #expect(issued.order.status == .valid)
        // One wait after finalize (its Retry-After), one while the order is still processing.
        #expect(clock.sleeps == [.seconds(2), .seconds(2)])
    }

    @Test func withoutRetryAfterAWholeIssuanceWaitsWellUnderASecond() async throws {
        let clock = TestClock()
        let ca = try MockCA(options: .init(pendingPolls: 1, processingPolls: 1))
        let client = try makeClient(ca, clock: clock)
        try await client.createAccount()
        _ = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate()), solver: RecordingSolver()
        )
        #expect(clock.sleeps.allSatisfy { $0 <= .milliseconds(100) })
        #expect(clock.sleeps.reduce(.zero, +) < .milliseconds(300))
    }
}

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
