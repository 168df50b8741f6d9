import Foundation
import Testing
@testable import Certificates

@Suite struct RenewalPolicyTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    static let lifetimes: [(lifetime: TimeInterval, renewAfter: TimeInterval)] = [
        (7_776_000, 5_184_000),   // 90 days: day 60
        (3_888_000, 2_592_000),   // 45 days: day 30
        (576_000, 384_000),       // 160 hours: hour 106.7
    ]

    @Test("without ARI, renewal is due when a third of the lifetime remains", arguments: lifetimes)
    func lifetimeFraction(lifetime: TimeInterval, renewAfter: TimeInterval) {
        let time = RenewalPolicy().renewalTime(notBefore: start, notAfter: start.addingTimeInterval(lifetime), ariTime: nil, jitter: 0)
        #expect(abs(time.timeIntervalSince(start) - renewAfter) < 1)
        // The default jitter only ever moves it earlier, by at most 2% of the lifetime.
        let jittered = RenewalPolicy().renewalTime(notBefore: start, notAfter: start.addingTimeInterval(lifetime), ariTime: nil)
        #expect(jittered <= time && time.timeIntervalSince(jittered) <= lifetime * 0.02 + 1)
    }

    @Test("the CA's ARI time wins over the lifetime fraction")
    func ariWins() {
        let ari = start.addingTimeInterval(10 * 86_400)
        let time = RenewalPolicy().renewalTime(notBefore: start, notAfter: start.addingTimeInterval(90 * 86_400), ariTime: ari)
        #expect(time == ari)
    }

    @Test("back-off doubles per failure from the initial wait and stops at the maximum")
    func backoff() {
        let policy = RenewalPolicy(initialBackoff: 5, maximumBackoff: 60)
        #expect(policy.backoff(afterFailures: 1, jitter: 1) == 5)
        #expect(policy.backoff(afterFailures: 2, jitter: 1) == 10)
        #expect(policy.backoff(afterFailures: 4, jitter: 1) == 40)
        #expect(policy.backoff(afterFailures: 5, jitter: 1) == 60)
        #expect(policy.backoff(afterFailures: 500, jitter: 1) == 60)
        let jittered = policy.backoff(afterFailures: 2)
        #expect(jittered >= 9 && jittered <= 11)
    }
}

@Suite struct CoverageTests {
    static let cases: [([String], [String], Bool)] = [
        (["a.example.com"], ["a.example.com"], true),
        (["A.example.com"], ["a.EXAMPLE.com"], true),
        (["*.example.com"], ["a.example.com"], true),
        (["*.example.com"], ["a.b.example.com"], false),
        (["*.example.com"], ["example.com"], false),
        (["example.com", "*.example.com"], ["example.com", "www.example.com"], true),
        (["a.example.com"], ["a.example.com", "b.example.com"], false),
        (["a.example.com"], ["*.example.com"], false),
    ]

    @Test("a certificate covers names exactly or through a wildcard one label deep", arguments: cases)
    func covers(have: [String], want: [String], expected: Bool) {
        #expect(CertificateManager.covers(have, want) == expected)
    }
}

@Suite struct ChallengeAnswersTests {
    @Test("HTTP-01 answers are keyed by token and checked against the host")
    func http01() {
        let answers = ChallengeAnswers()
        answers.addHTTP01(token: "t1", host: "A.Example.com.", keyAuthorization: "t1.thumb")
        #expect(answers.keyAuthorization(forToken: "t1", host: "a.example.com") == "t1.thumb")
        #expect(answers.keyAuthorization(forToken: "t1", host: "b.example.com") == nil)
        #expect(answers.keyAuthorization(forToken: "t2", host: "a.example.com") == nil)
        answers.removeHTTP01(token: "t1")
        #expect(answers.keyAuthorization(forToken: "t1", host: "a.example.com") == nil)
        #expect(answers.pendingCount.http01 == 0)
    }
}
