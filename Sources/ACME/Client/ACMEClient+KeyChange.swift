import Foundation

extension ACMEClient {
    private struct KeyChangePayload: Encodable {
        var account: String
        var oldKey: JWK
    }

    /// Rolls the account over to `newKey` (RFC 8555 §7.3.5): an inner JWS signed by the new
    /// key (`jwk`, no nonce) carries `account` and `oldKey`; the outer JWS is signed by the
    /// current key. On success ``accountKey`` becomes `newKey`; the account URL stays.
    ///
    /// Store the new key before calling this if losing it would lock the account out.
    public func changeAccountKey(to newKey: ACMEPrivateKey) async throws {
        let url = try await self.directoryURL(\.keyChange, name: "keyChange", step: .keyChange)
        let accountURL = try self.requireAccountURL(step: .keyChange)
        let inner: Data
        do {
            let payload = try ACMEJSON.encode(KeyChangePayload(account: accountURL, oldKey: self.accountKey.jwk))
            inner = try FlattenedJWS.sign(payload: payload, url: url, nonce: nil, key: newKey, keyReference: .jwk(newKey.jwk))
                .serialized()
        } catch {
            throw ACMEError(
                code: .invalidArgument, step: .keyChange, url: url,
                message: "signing the key change with the new \(newKey.jwsAlgorithm) key failed: \(error)",
                underlying: error
            )
        }
        _ = try await self.post(url, payload: inner, step: .keyChange)
        self.replaceAccountKey(newKey)
        self.logger.info("ACME account key changed", metadata: [
            "acme.account": .string(accountURL), "acme.thumbprint": .string(newKey.thumbprint),
        ])
    }
}
