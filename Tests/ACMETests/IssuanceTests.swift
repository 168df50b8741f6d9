import Foundation
import Testing
import X509
@testable import ACME

@Suite struct IssuanceTests {
    @Test func issuesAndReportsEveryStep() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let key = try ACMEPrivateKey.generate()
        let solver = RecordingSolver()
        let events = EventLog()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com"), .dns("www.example.com")], certificateKey: key),
            solver: solver, onEvent: events.record
        )

        #expect(issued.orderURL == MockCA.base + "/order/0")
        #expect(issued.order.status == .valid)
        #expect(issued.challengesUsed == [.dns("example.com"): .http01, .dns("www.example.com"): .http01])
        let names = try issued.leaf.extensions.subjectAlternativeNames.map { Array($0) } ?? []
        #expect(Set(names) == [.dnsName("example.com"), .dnsName("www.example.com")])
        #expect(issued.leaf.publicKey == key.certificatePrivateKey.publicKey)
        #expect(issued.chain.certificates.count == 2)
        #expect(issued.chain.intermediates.count == 1)
        #expect(issued.chain.pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(try Certificate(pemEncoded: issued.chain.leafPEM) == issued.leaf)
        #expect(try Certificate(pemEncoded: issued.chain.intermediatesPEM) == issued.chain.certificates[1])
        #expect(issued.profile == nil)

        let log = events.all
        #expect(log.first == .orderCreated(orderURL: issued.orderURL, identifiers: [.dns("example.com"), .dns("www.example.com")]))
        #expect(log.contains(.challengeChosen(identifier: .dns("example.com"), type: .http01)))
        #expect(log.contains(.challengePresented(identifier: .dns("www.example.com"), type: .http01)))
        #expect(log.contains(.validating(identifier: .dns("example.com"), type: .http01)))
        #expect(log.contains(.authorizationValid(identifier: .dns("www.example.com"))))
        #expect(log.contains(.challengeCleanedUp(identifier: .dns("example.com"), type: .http01)))
        #expect(log.contains(.finalizing(orderURL: issued.orderURL)))
        guard case .certificateDownloaded(let url, let serial) = log.last else {
            Issue.record("last event is \(String(describing: log.last))")
            return
        }
        #expect(url == MockCA.base + "/cert/0")
        #expect(serial == issued.leaf.serialNumber.bytes.map { String(format: "%02x", $0) }.joined())
        // Order: every answer is presented before the CA is asked to validate any.
        let firstValidating = try #require(log.firstIndex { if case .validating = $0 { return true } else { return false } })
        let lastPresented = try #require(log.lastIndex { if case .challengePresented = $0 { return true } else { return false } })
        #expect(lastPresented < firstValidating)
        #expect(solver.presented.count == 2)
        #expect(solver.cleanedUp == solver.presented)
    }

    @Test func alreadyValidAuthorizationsAreAccepted() async throws {
        let ca = try MockCA(options: .init(preValid: ["a.example.com"]))
        let client = try makeClient(ca)
        try await client.createAccount()
        let solver = RecordingSolver()
        let events = EventLog()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("a.example.com"), .dns("b.example.com")], certificateKey: try .generate()),
            solver: solver, onEvent: events.record
        )
        #expect(issued.challengesUsed == [.dns("b.example.com"): .http01])
        #expect(events.all.contains(.authorizationAlreadyValid(identifier: .dns("a.example.com"))))
        #expect(solver.presented.map(\.identifier) == [.dns("b.example.com")])
    }

    @Test func allAuthorizationsValidSkipsChallengesEntirely() async throws {
        let ca = try MockCA(options: .init(preValid: ["a.example.com"]))
        let client = try makeClient(ca)
        try await client.createAccount()
        let solver = RecordingSolver()
        let events = EventLog()
        _ = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("a.example.com")], certificateKey: try .generate()), solver: solver,
            onEvent: events.record
        )
        #expect(events.all.prefix(3).dropFirst() == [
            .authorizationAlreadyValid(identifier: .dns("a.example.com")), .finalizing(orderURL: MockCA.base + "/order/0"),
        ])
        #expect(solver.presented.isEmpty)
        #expect(ca.posts(to: "/chall/").isEmpty)
    }

    @Test func failedChallengeNamesIdentifierTypeAndProblemAndStillCleansUp() async throws {
        let problem = #"{"type":"urn:ietf:params:acme:error:incorrectResponse","detail":"key authorization mismatch","status":403}"#
        let ca = try MockCA(options: .init(failing: ["bad.example.com": problem]))
        let client = try makeClient(ca)
        try await client.createAccount()
        let solver = RecordingSolver()
        let error = try #require(await acmeError {
            try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns("good.example.com"), .dns("bad.example.com")], certificateKey: try .generate()),
                solver: solver
            )
        })
        #expect(error.code == .authorizationFailed)
        #expect(error.identifier == .dns("bad.example.com"))
        #expect(error.challengeType == .http01)
        #expect(error.problem?.type == .incorrectResponse)
        #expect(error.problem?.detail == "key authorization mismatch")
        #expect(error.description.contains("dns:bad.example.com"))
        #expect(error.description.contains("http-01"))
        #expect(error.description.contains("key authorization mismatch"))
        #expect(solver.presented.count == 2)
        #expect(solver.cleanedUp.count == 2)
    }

    @Test func solverFailureIsReportedWithTheIdentifier() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let solver = RecordingSolver(failPresent: true)
        let error = try #require(await acmeError {
            try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate()), solver: solver
            )
        })
        #expect(error.code == .solverFailed)
        #expect(error.identifier == .dns("example.com"))
        #expect(error.challengeType == .http01)
        #expect(error.description.contains("the test solver refuses to present"))
        #expect(ca.posts(to: "/chall/").isEmpty)
    }

    @Test func wildcardIsValidatedWithDNS01AndShareTheRecordName() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let solver = RecordingSolver()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(
                identifiers: [.dns("*.example.com"), .dns("example.com")], certificateKey: try .generate(),
                challengeTypes: [.http01, .dns01]
            ),
            solver: solver
        )
        #expect(issued.challengesUsed == [.dns("*.example.com"): .dns01, .dns("example.com"): .http01])

        let both = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("*.example.org"), .dns("example.org")], certificateKey: try .generate(), challengeTypes: [.dns01]),
            solver: solver
        )
        #expect(both.challengesUsed.values.allSatisfy { $0 == .dns01 })
        let answers = solver.presented.compactMap { answer -> ACMEChallengeAnswer.DNS01? in
            if case .dns01(let dns) = answer, dns.domain == "example.org" { return dns }
            return nil
        }
        #expect(answers.count == 2)
        #expect(Set(answers.map(\.recordName)) == ["_acme-challenge.example.org"])
        #expect(Set(answers.map(\.value)).count == 2)
    }

    @Test func wildcardWithoutDNS01IsRefusedClearly() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let error = try #require(await acmeError {
            try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns("*.example.com")], certificateKey: try .generate(), challengeTypes: [.http01, .tlsALPN01]),
                solver: RecordingSolver()
            )
        })
        #expect(error.code == .noUsableChallenge)
        #expect(error.identifier == .dns("*.example.com"))
        #expect(error.description.contains("wildcard can only be validated with dns-01"))
    }

    @Test func solverTypesLimitTheChoice() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate()),
            solver: RecordingSolver(types: [.tlsALPN01])
        )
        #expect(issued.challengesUsed == [.dns("example.com"): .tlsALPN01])
    }

    // MARK: - Resuming

    @Test func pendingOrderIsResumedNotReplaced() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let earlier = try await client.newOrder(identifiers: [.dns("example.com")])
        let events = EventLog()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate(), resumeOrderURL: earlier.url),
            solver: RecordingSolver(), onEvent: events.record
        )
        #expect(issued.orderURL == earlier.url)
        #expect(ca.orderCount == 1)
        #expect(events.all.first == .orderResumed(orderURL: earlier.url, status: .pending))
    }

    @Test func challengeAlreadyBeingValidatedIsNotAnsweredAgain() async throws {
        let ca = try MockCA(options: .init(pendingPolls: 3))
        let client = try makeClient(ca)
        try await client.createAccount()
        let earlier = try await client.newOrder(identifiers: [.dns("example.com")])
        let authorization = try await client.authorization(at: earlier.authorizations[0])
        try await client.respond(to: try #require(authorization.challenge(ofType: .http01)))
        // The process "dies" here; a new one resumes with the stored URL.
        let solver = RecordingSolver()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate(), resumeOrderURL: earlier.url),
            solver: solver
        )
        #expect(issued.order.status == .valid)
        #expect(solver.presented.count == 1)  // the answer is published again for the validation in progress
        #expect(ca.posts(to: "/chall/").count == 1)
    }

    @Test func invalidOrderIsReplacedByANewOne() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let earlier = try await client.newOrder(identifiers: [.dns("example.com")])
        ca.invalidateOrder(0)
        let events = EventLog()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate(), resumeOrderURL: earlier.url),
            solver: RecordingSolver(), onEvent: events.record
        )
        #expect(issued.orderURL != earlier.url)
        #expect(ca.orderCount == 2)
        #expect(events.all.prefix(2) == [
            .resumeDeclined(orderURL: earlier.url, reason: "it is invalid"),
            .orderCreated(orderURL: issued.orderURL, identifiers: [.dns("example.com")]),
        ])
    }

    @Test func orderForOtherNamesIsNotResumed() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let earlier = try await client.newOrder(identifiers: [.dns("old.example.com")])
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("new.example.com")], certificateKey: try .generate(), resumeOrderURL: earlier.url),
            solver: RecordingSolver()
        )
        #expect(issued.orderURL != earlier.url)
    }

    @Test func validOrderIsDownloadedWithoutNewWork() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let key = try ACMEPrivateKey.generate()
        let first = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: key), solver: RecordingSolver()
        )
        let postsBefore = ca.posts(to: "/").count
        let again = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: key, resumeOrderURL: first.orderURL),
            solver: RecordingSolver()
        )
        #expect(again.leaf == first.leaf)
        #expect(ca.posts(to: "/").count == postsBefore + 2)  // fetch the order, download the chain
    }
}
