import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
@testable import ACME

/// Profiles against recorded CA answers (pebble 2.4 has none), written from Let's Encrypt's
/// documented format: `meta.profiles` maps a name to a description in the directory, newOrder
/// carries `profile`, and the order echoes it.
@Suite struct ProfileTests {
    static let profiles = [
        "classic": "The same profile you're accustomed to",
        "shortlived": "A short-lived certificate profile",
        "tlsserver": "Certificates with only the TLS Server Auth EKU",
    ]

    @Test func directoryListsProfiles() async throws {
        let ca = try MockCA(options: .init(profiles: Self.profiles))
        let directory = try await makeClient(ca).directory()
        #expect(directory.profiles == Self.profiles)
    }

    @Test func profileIsSentAndReadBack() async throws {
        let ca = try MockCA(options: .init(profiles: Self.profiles))
        let client = try makeClient(ca)
        try await client.createAccount()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate(), profile: "shortlived"),
            solver: RecordingSolver()
        )
        let payload = try #require(try ca.posts(to: "/new-order").first?.jws?.payloadObject())
        #expect(payload["profile"] as? String == "shortlived")
        #expect(issued.order.profile == "shortlived")
        #expect(issued.profile == "shortlived")
    }

    @Test func profileTheCADoesNotOfferIsRefusedBeforeSending() async throws {
        let ca = try MockCA(options: .init(profiles: Self.profiles))
        let client = try makeClient(ca)
        try await client.createAccount()
        let error = try #require(await acmeError {
            try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate(), profile: "longlived"),
                solver: RecordingSolver()
            )
        })
        #expect(error.code == .invalidArgument)
        #expect(error.step == .newOrder)
        #expect(error.description.contains(#"profile "longlived" is not offered by the CA (offered: classic, shortlived, tlsserver)"#))
        #expect(ca.posts(to: "/new-order").isEmpty)
    }

    @Test func profileWithACAThatHasNoneIsRefused() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let error = try #require(await acmeError { try await client.newOrder(identifiers: [.dns("example.com")], profile: "classic") })
        #expect(error.description.contains("the CA offers no profiles"))
    }

    @Test func resumedOrderWithAnotherProfileIsNotContinued() async throws {
        let ca = try MockCA(options: .init(profiles: Self.profiles))
        let client = try makeClient(ca)
        try await client.createAccount()
        let earlier = try await client.newOrder(identifiers: [.dns("example.com")], profile: "classic")
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate(), profile: "shortlived", resumeOrderURL: earlier.url),
            solver: RecordingSolver()
        )
        #expect(issued.orderURL != earlier.url)
        #expect(issued.profile == "shortlived")
    }
}
