import Foundation
import Testing
@testable import ACME

@Suite struct AccountTests {
    @Test func createReturnsTheExistingAccountOnASecondCall() async throws {
        let ca = try MockCA()
        let key = try ACMEPrivateKey.generate()
        let client = try makeClient(ca, key: key)
        let first = try await client.createAccount(contact: ["mailto:ops@example.com"], termsOfServiceAgreed: true)
        #expect(first.wasCreated)
        #expect(first.url == MockCA.base + "/acct/1")
        #expect(first.contact == ["mailto:ops@example.com"])
        #expect(await client.accountURL == first.url)

        let again = try await makeClient(ca, key: key).createAccount(termsOfServiceAgreed: true)
        #expect(!again.wasCreated)
        #expect(again.url == first.url)
        #expect(ca.accountCount == 1)
    }

    @Test func findAccountUsesOnlyReturnExisting() async throws {
        let ca = try MockCA()
        let key = try ACMEPrivateKey.generate()
        #expect(try await makeClient(ca, key: key).findAccount() == nil)
        let payload = try #require(try ca.posts(to: "/new-account").first?.jws?.payloadObject())
        #expect(payload["onlyReturnExisting"] as? Bool == true)
        #expect(ca.accountCount == 0)

        let created = try await makeClient(ca, key: key).createAccount()
        let finder = try makeClient(ca, key: key)
        let found = try #require(try await finder.findAccount())
        #expect(found.url == created.url)
        #expect(await finder.accountURL == created.url)
    }

    @Test func useAccountSkipsTheLookup() async throws {
        let ca = try MockCA()
        let key = try ACMEPrivateKey.generate()
        let url = try await makeClient(ca, key: key).createAccount().url
        let before = ca.seen.count
        let client = try makeClient(ca, key: key)
        await client.useAccount(url: url)
        let order = try await client.newOrder(identifiers: [.dns("example.com")])
        #expect(order.status == .pending)
        #expect(ca.seen.dropFirst(before).allSatisfy { !$0.path.hasPrefix("/new-account") })
    }

    @Test func accountRequestsWithoutAnAccountURLFailBeforeSending() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        let error = try #require(await acmeError { try await client.newOrder(identifiers: [.dns("example.com")]) })
        #expect(error.code == .noAccount)
        #expect(ca.posts(to: "/new-order").isEmpty)
    }

    @Test(arguments: ["", "admin", "admin@", "@example.com", "a b@example.com", "admin@localhost", "a@b@example.com", "tel:+1555"])
    func malformedContactsAreRefusedBeforeSending(contact: String) async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        let error = try #require(await acmeError { try await client.createAccount(contact: [contact]) })
        #expect(error.code == .invalidContact)
        #expect(ca.seen.isEmpty)
    }

    @Test func deactivationPostsTheStatus() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        let account = try await client.deactivateAccount()
        #expect(account.status == .deactivated)
        let post = try #require(ca.posts(to: "/acct/1").last?.jws)
        #expect(try post.payloadObject()?["status"] as? String == "deactivated")
    }
}
