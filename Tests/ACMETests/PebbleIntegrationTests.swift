import Foundation
import Logging
import Testing
import X509
@testable import ACME

/// The client against a real pebble 2.4 on loopback (Debian package `pebble`). Each test
/// starts its own pebble and pebble-challtestsrv on free ports and stops them at its end.
/// Without pebble the suite is skipped, except under `CI=true`, where it runs and fails.
@Suite(
    .serialized,
    .enabled(if: PebbleHarness.isAvailable || PebbleHarness.runsUnderCI, "pebble is not installed (apt-get install -y pebble)")
)

struct PebbleIntegrationTests {
    /// A client on the harness's pebble. Pebble refuses 5 % of good nonces by default, so
    /// the client retries a refused nonce a few times rather than once.
    private func client(_ pebble: PebbleHarness, key: ACMEPrivateKey? = nil, badNonceRetries: Int = 3) throws -> ACMEClient {
        ACMEClient(
            directoryURL: pebble.directoryURL, accountKey: try key ?? .generate(), transport: pebble.transport,
            badNonceRetries: badNonceRetries, logger: Logger(label: "test.acme.pebble")
        )
    }

    /// A name no earlier test used, so pebble has no authorization for it yet.
    private func freshName() -> String {
        "t\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).example.com"
    }

    /// Checks that `chain` leads through pebble's intermediate to pebble's root.
    private func expectChainsToPebble(_ chain: ACMECertificateChain, _ pebble: PebbleHarness) async throws {
        let intermediate = try await pebble.managementCertificate("/intermediates/0")
        let root = try await pebble.managementCertificate("/roots/0")
        #expect(chain.certificates.count == 2)
        #expect(chain.certificates.dropFirst().first == intermediate)
        #expect(chain.leaf.issuer == intermediate.subject)
        var verifier = Verifier(rootCertificates: CertificateStore([root])) { RFC5280Policy() }
        let result = await verifier.validate(leaf: chain.leaf, intermediates: CertificateStore([intermediate]))
        guard case .validCertificate = result else {
            Issue.record("the leaf does not chain to pebble's root: \(result)")
            return
        }
    }

    private func sans(_ certificate: Certificate) throws -> Set<String> {
        Set(try certificate.extensions.subjectAlternativeNames?.compactMap { name -> String? in
            if case .dnsName(let value) = name { return value }
            return nil
        } ?? [])
    }

    @Test func accountCreateAndFind() async throws {
        try await PebbleHarness.with { pebble in
            let key = try ACMEPrivateKey.generate()
            let created = try await client(pebble, key: key).createAccount(contact: ["admin@example.com"], termsOfServiceAgreed: true)
            #expect(created.wasCreated)
            #expect(created.status == .valid)
            #expect(created.url.hasPrefix("https://127.0.0.1:"))

            let found = try #require(try await client(pebble, key: key).findAccount())
            #expect(found.url == created.url)
            #expect(!found.wasCreated)
            let again = try await client(pebble, key: key).createAccount(termsOfServiceAgreed: true)
            #expect(again.url == created.url)
            #expect(!again.wasCreated)
            #expect(try await client(pebble).findAccount() == nil)
        }
    }

    @Test func http01IssuanceAndReusedAuthorizations() async throws {
        try await PebbleHarness.with(.init(authorizationReuse: 100)) { pebble in
            let client = try client(pebble)
            try await client.createAccount(termsOfServiceAgreed: true)
            let name = freshName()
            let solver = pebble.solver(types: [.http01])
            let events = EventLog()
            let started = ContinuousClock.now
            let issued = try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns(name), .dns("www." + name)], certificateKey: try .generate(), challengeTypes: [.http01]),
                solver: solver, onEvent: events.record
            )
            let elapsed = started.duration(to: .now)
            print("pebble HTTP-01 issuance, order to chain: \(elapsed)")
            #expect(try sans(issued.leaf) == [name, "www." + name])
            #expect(issued.challengesUsed.values.allSatisfy { $0 == .http01 })
            try await expectChainsToPebble(issued.chain, pebble)
            #expect(pebble.store.seenRequests.contains { $0.contains("/.well-known/acme-challenge/") && $0.contains(name) })
            #expect(solver.log.filter { $0.hasPrefix("cleanUp") }.count == 2)
            #expect(events.all.contains(.finalizing(orderURL: issued.orderURL)))

            // Same names again: pebble hands back the valid authorizations; nothing to solve.
            let again = try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns(name)], certificateKey: try .generate(), challengeTypes: [.http01]),
                solver: solver, onEvent: events.record
            )
            #expect(again.challengesUsed.isEmpty)
            #expect(events.all.contains(.authorizationAlreadyValid(identifier: .dns(name))))
            #expect(solver.log.count == 4)
        }
    }

    @Test func dns01WildcardAndApex() async throws {
        try await PebbleHarness.with { pebble in
            let client = try client(pebble)
            try await client.createAccount(termsOfServiceAgreed: true)
            let name = freshName()
            let solver = pebble.solver(types: [.dns01])
            let issued = try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns("*." + name), .dns(name)], certificateKey: try .generate(.ec384), challengeTypes: [.dns01]),
                solver: solver
            )
            #expect(try sans(issued.leaf) == ["*." + name, name])
            #expect(issued.challengesUsed == [.dns("*." + name): .dns01, .dns(name): .dns01])
            try await expectChainsToPebble(issued.chain, pebble)
        }
    }

    @Test func tlsALPN01Issuance() async throws {
        try await PebbleHarness.with { pebble in
            let client = try client(pebble, key: try .generate(.rsa2048))
            try await client.createAccount(termsOfServiceAgreed: true)
            let name = freshName()
            let issued = try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns(name)], certificateKey: try .generate(.rsa2048), challengeTypes: [.tlsALPN01]),
                solver: pebble.solver(types: [.tlsALPN01])
            )
            #expect(try sans(issued.leaf) == [name])
            #expect(issued.challengesUsed == [.dns(name): .tlsALPN01])
            #expect(pebble.store.seenRequests.contains("TLS \(name)"))
            try await expectChainsToPebble(issued.chain, pebble)
        }
    }

    @Test func revocationByAccountKeyAndByCertificateKey() async throws {
        try await PebbleHarness.with { pebble in
            let client = try client(pebble)
            try await client.createAccount(termsOfServiceAgreed: true)
            let solver = pebble.solver(types: [.http01])

            let first = try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns(freshName())], certificateKey: try .generate()), solver: solver
            )
            #expect(try await pebble.certificateStatus(first.leaf)["Status"] as? String == "Valid")
            try await client.revoke(certificate: first.leaf, reason: .superseded)
            let firstStatus = try await pebble.certificateStatus(first.leaf)
            #expect(firstStatus["Status"] as? String == "Revoked")
            #expect(firstStatus["Reason"] as? Int == 4)

            let certificateKey = try ACMEPrivateKey.generate()
            let second = try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns(freshName())], certificateKey: certificateKey), solver: solver
            )
            // Signed by the certificate's key, from a client that has no account.
            try await self.client(pebble).revoke(certificate: second.leaf, reason: .keyCompromise, certificateKey: certificateKey)
            let secondStatus = try await pebble.certificateStatus(second.leaf)
            #expect(secondStatus["Status"] as? String == "Revoked")
            #expect(secondStatus["Reason"] as? Int == 1)

            // Revoking again is refused with the CA's problem.
            let error = try #require(await acmeError { try await client.revoke(certificate: first.leaf) })
            #expect(error.hasProblemType(.alreadyRevoked))
        }
    }

    @Test func keyRolloverThenTheNewKeyWorks() async throws {
        try await PebbleHarness.with { pebble in
            let oldKey = try ACMEPrivateKey.generate()
            let client = try client(pebble, key: oldKey)
            let account = try await client.createAccount(termsOfServiceAgreed: true)
            let newKey = try ACMEPrivateKey.generate(.rsa2048)
            try await client.changeAccountKey(to: newKey)

            // A fresh client with only the new key finds the same account and can order.
            let fresh = try self.client(pebble, key: newKey)
            let found = try #require(try await fresh.findAccount())
            #expect(found.url == account.url)
            let order = try await fresh.newOrder(identifiers: [.dns(freshName())])
            #expect(order.status == .pending)
            // The old key no longer names an account.
            #expect(try await self.client(pebble, key: oldKey).findAccount() == nil)
        }
    }

    @Test func issuesWhileHalfOfTheNoncesAreRefused() async throws {
        try await PebbleHarness.with(.init(nonceReject: 50)) { pebble in
            // At 50 % a request is refused twice in a row one time in four, so one retry per
            // request cannot carry a whole issuance; the budget here makes a failure of any
            // single request about 1 in 65,000.
            let client = try client(pebble, badNonceRetries: 15)
            try await client.createAccount(termsOfServiceAgreed: true)
            let name = freshName()
            let issued = try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns(name)], certificateKey: try .generate()),
                solver: pebble.solver(types: [.http01])
            )
            #expect(try sans(issued.leaf) == [name])
            try await expectChainsToPebble(issued.chain, pebble)
        }
    }

    @Test func preferredChainPicksPebblesAlternateRoot() async throws {
        try await PebbleHarness.with(.init(alternateRoots: 1)) { pebble in
            let alternateRoot = try await pebble.managementCertificate("/roots/1")
            let wanted = try #require(ACMECertificateChain.commonName(of: alternateRoot.subject))
            let client = try client(pebble)
            try await client.createAccount(termsOfServiceAgreed: true)
            let issued = try await client.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns(freshName())], certificateKey: try .generate(), preferredChain: wanted),
                solver: pebble.solver(types: [.http01])
            )
            #expect(issued.chain.topIssuerCommonName == wanted)
            #expect(issued.alternateChainURLs.count == 1)
            #expect(issued.consideredChains.count == 2)
            #expect(issued.consideredChains[0].topIssuerCommonName != wanted)
            #expect(issued.consideredChains[0].leaf == issued.chain.leaf)
        }
    }

    @Test func interruptedOrderIsResumed() async throws {
        try await PebbleHarness.with { pebble in
            let key = try ACMEPrivateKey.generate()
            let client = try client(pebble, key: key)
            try await client.createAccount(termsOfServiceAgreed: true)
            let name = freshName()
            // The first process placed the order and stored its URL, then died.
            let earlier = try await client.newOrder(identifiers: [.dns(name)])
            let restarted = try self.client(pebble, key: key)
            _ = try await restarted.findAccount()
            let events = EventLog()
            let issued = try await restarted.issueCertificate(
                ACMEIssuanceRequest(identifiers: [.dns(name)], certificateKey: try .generate(), resumeOrderURL: earlier.url),
                solver: pebble.solver(types: [.http01]), onEvent: events.record
            )
            #expect(issued.orderURL == earlier.url)
            #expect(events.all.first == .orderResumed(orderURL: earlier.url, status: .pending))
        }
    }
}
