import Foundation
import Testing
@testable import Storage

/// Challenge answers: put on one storage instance, read on another (as two cluster nodes would),
/// expiry judged by the shared clock.
@Suite struct ChallengeAnswerTests {
    @Test func http01AnswersAreSharedAndExpire() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            try await withStorage(in: directory, clock: clock) { nodeA async throws in
                try await withStorage(in: directory, clock: clock) { nodeB async throws in
                    try await nodeA.putHTTPChallenge(token: "tok1", keyAuthorization: "tok1.thumb", expiresAt: clock.now.addingTimeInterval(60))
                    #expect(try await nodeB.httpChallenge(token: "tok1") == "tok1.thumb")
                    #expect(try await nodeB.httpChallenge(token: "tok2") == nil)

                    // Put again replaces.
                    try await nodeB.putHTTPChallenge(token: "tok1", keyAuthorization: "tok1.other", expiresAt: clock.now.addingTimeInterval(60))
                    #expect(try await nodeA.httpChallenge(token: "tok1") == "tok1.other")

                    clock.advance(by: 61)
                    #expect(try await nodeA.httpChallenge(token: "tok1") == nil)

                    try await nodeA.putHTTPChallenge(token: "tok3", keyAuthorization: "tok3.thumb", expiresAt: clock.now.addingTimeInterval(60))
                    try await nodeB.removeHTTPChallenge(token: "tok3")
                    #expect(try await nodeA.httpChallenge(token: "tok3") == nil)
                }
            }
        }
    }

    @Test func dns01HoldsSeveralValuesPerName() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            try await withStorage(in: directory, clock: clock) { nodeA async throws in
                try await withStorage(in: directory, clock: clock) { nodeB async throws in
                    let name = "_acme-challenge.example.com"
                    // Wildcard and apex validate on the same record name.
                    try await nodeA.addDNSChallenge(recordName: name, value: "wildcard-digest", expiresAt: clock.now.addingTimeInterval(120))
                    try await nodeB.addDNSChallenge(recordName: "_ACME-Challenge.Example.com.", value: "apex-digest", expiresAt: clock.now.addingTimeInterval(60))
                    try await nodeB.addDNSChallenge(recordName: name, value: "apex-digest", expiresAt: clock.now.addingTimeInterval(60))  // idempotent
                    #expect(try await nodeA.dnsChallengeValues(recordName: name) == ["apex-digest", "wildcard-digest"])
                    #expect(try await nodeA.dnsChallengeValues(recordName: "_acme-challenge.other.example").isEmpty)

                    clock.advance(by: 90)
                    #expect(try await nodeB.dnsChallengeValues(recordName: name) == ["wildcard-digest"])

                    try await nodeA.removeDNSChallenge(recordName: name, value: "wildcard-digest")
                    #expect(try await nodeB.dnsChallengeValues(recordName: name).isEmpty)
                }
            }
        }
    }

    @Test func tlsALPN01AnswersRoundTripWithTheirKey() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            try await withStorage(in: directory, clock: clock) { nodeA async throws in
                try await withStorage(in: directory, clock: clock) { nodeB async throws in
                    let answer = TLSALPNChallengeAnswer(
                        identifier: "Example.com",
                        certificatePEM: "-----BEGIN CERTIFICATE-----\nMIIBacme\n-----END CERTIFICATE-----\n",
                        privateKey: SecretBytes(utf8: "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n"),
                        expiresAt: clock.now.addingTimeInterval(300)
                    )
                    try await nodeA.putTLSALPNChallenge(answer)
                    var expected = answer
                    expected.identifier = "example.com"
                    #expect(try await nodeB.tlsALPNChallenge(identifier: "example.com") == expected)
                    #expect(try await nodeB.tlsALPNChallenge(identifier: "www.example.com") == nil)

                    clock.advance(by: 301)
                    #expect(try await nodeB.tlsALPNChallenge(identifier: "example.com") == nil)

                    expected.expiresAt = clock.now.addingTimeInterval(300)
                    try await nodeB.putTLSALPNChallenge(expected)
                    #expect(try await nodeA.tlsALPNChallenge(identifier: "EXAMPLE.com") == expected)
                    try await nodeA.removeTLSALPNChallenge(identifier: "example.com")
                    #expect(try await nodeB.tlsALPNChallenge(identifier: "example.com") == nil)
                }
            }
        }
    }
}
