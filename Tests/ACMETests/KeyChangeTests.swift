import Foundation
import SwiftASN1
import Testing
import X509
@testable import ACME

@Suite struct KeyChangeTests {
    @Test(arguments: [ACMEPrivateKey.KeyType.ec256, .rsa2048])
    func rolloverRequestShape(newType: ACMEPrivateKey.KeyType) async throws {
        let ca = try MockCA()
        let oldKey = try ACMEPrivateKey.generate(.ec256)
        let newKey = try ACMEPrivateKey.generate(newType)
        let client = try makeClient(ca, key: oldKey)
        let account = try await client.createAccount()
        try await client.changeAccountKey(to: newKey)

        let outer = try #require(ca.posts(to: "/key-change").first?.jws)
        #expect(outer.kid == account.url)
        #expect(outer.alg == "ES256")
        #expect(outer.jwk == nil)
        let innerObject = try #require(try outer.payloadObject())
        let inner = try DecodedJWS(body: try JSONSerialization.data(withJSONObject: innerObject))
        #expect(inner.alg == newKey.jwsAlgorithm)
        #expect(inner.nonce == nil)
        #expect(inner.kid == nil)
        #expect(inner.url == MockCA.base + "/key-change")
        let newJWK = try #require(inner.jwk)
        #expect(try inner.verify(with: newJWK))
        let payload = try #require(try inner.payloadObject())
        #expect(payload["account"] as? String == account.url)
        let oldJWK = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(oldKey.jwk)) as? [String: String]
        #expect(payload["oldKey"] as? [String: String] == oldJWK)

        // The CA now knows the new key; the next request is signed with it and accepted.
        #expect(await client.accountKey.thumbprint == newKey.thumbprint)
        #expect(ca.accountKey(account.url) == newJWK)
        let order = try await client.newOrder(identifiers: [.dns("example.com")])
        #expect(order.status == .pending)
        #expect(ca.posts(to: "/new-order").first?.jws?.alg == newKey.jwsAlgorithm)
        #expect(await client.accountURL == account.url)
    }
}
