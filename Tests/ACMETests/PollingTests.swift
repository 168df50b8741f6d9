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
