import Foundation
import Synchronization
import Testing
@testable import ACME

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
