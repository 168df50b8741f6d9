import Foundation
import Testing
@testable import ACME

@Suite struct NonceTests {
    @Test func firstNonceComesFromNewNonceThenFromResponses() async throws {
        let ca = try MockCA()
        let client = try makeClient(ca)
        try await client.createAccount()
        _ = try await client.newOrder(identifiers: [.dns("example.com")])
        let heads = ca.seen.filter { $0.request.method == .head }
        #expect(heads.count == 1)
        // The order was signed with the nonce the newAccount response carried.
        #expect(ca.posts(to: "/new-order").first?.jws?.nonce == "nonce-2")
    }

    @Test func badNonceIsRetriedOnceWithTheNonceFromTheRefusal() async throws {
        let ca = try MockCA(options: .init(rejectNonces: 1))
        let client = try makeClient(ca)
        let account = try await client.createAccount()
        #expect(account.wasCreated)
        let posts = ca.posts(to: "/new-account")
        #expect(posts.map(\.status) == [400, 201])
        // nonce-1 from newNonce was refused; the refusal carried nonce-2, which the retry used.
        #expect(posts.map { $0.jws?.nonce } == ["nonce-1", "nonce-2"])
        #expect(ca.seen.filter { $0.request.method == .head }.count == 1)
    }

    @Test func secondBadNonceIsSurfaced() async throws {
        let ca = try MockCA(options: .init(rejectNonces: 2))
        let client = try makeClient(ca)
        let error = try #require(await acmeError { try await client.createAccount() })
        #expect(error.code == .server)
        #expect(error.hasProblemType(.badNonce))
        #expect(error.step == .newAccount)
        #expect(error.httpStatus == 400)
        #expect(ca.posts(to: "/new-account").count == 2)
    }

    @Test func retryBudgetIsConfigurable() async throws {
        let ca = try MockCA(options: .init(rejectNonces: 3))
        let client = try makeClient(ca, badNonceRetries: 3)
        try await client.createAccount()
        #expect(ca.posts(to: "/new-account").map(\.status) == [400, 400, 400, 201])
    }

    @Test func otherRefusalsAreNotRetried() async throws {
        let ca = try MockCA(options: .init(newOrderProblem: #"{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many"}"#))
        let client = try makeClient(ca)
        try await client.createAccount()
        let error = try #require(await acmeError { try await client.newOrder(identifiers: [.dns("example.com")]) })
        #expect(error.hasProblemType(.rateLimited))
        #expect(ca.posts(to: "/new-order").count == 1)
    }
}
