import Crypto
import Foundation

/// A JWS in the flattened JSON serialization (RFC 7515 §7.2.2), the body of every ACME POST
/// (`Content-Type: application/jose+json`).
public struct FlattenedJWS: Sendable, Codable, Equatable {
    /// base64url of the protected header's JSON.
    public var protected: String
    /// base64url of the payload; empty for POST-as-GET.
    public var payload: String
    /// base64url of the signature over `protected.payload`.
    public var signature: String

    /// A JWS from its three base64url members.
    public init(protected: String, payload: String, signature: String) {
        self.protected = protected
        self.payload = payload
        self.signature = signature
    }

    /// How the protected header names the signing key (RFC 8555 §6.2).
    public enum KeyReference: Sendable, Equatable {
        /// The full public key: newAccount, revocation by certificate key, the inner JWS of a
        /// key change.
        case jwk(JWK)
        /// The account URL: every other request.
        case kid(String)
    }

    /// The protected header's members that ACME uses.
    public struct Header: Sendable, Codable, Equatable {
        /// The algorithm: `ES256`, `ES384`, `RS256` or `HS256`.
        public var alg: String
        /// The signing key, for requests that carry it (newAccount, revocation by certificate key).
        public var jwk: JWK?
        /// The account URL (or the EAB key identifier), for requests signed by a known key.
        public var kid: String?
        /// The anti-replay nonce; absent only in inner JWS (key change, EAB).
        public var nonce: String?
        /// The URL the request is sent to.
        public var url: String

        /// A header; exactly one of `jwk` and `kid` should be set.
        public init(alg: String, jwk: JWK? = nil, kid: String? = nil, nonce: String? = nil, url: String) {
            self.alg = alg
            self.jwk = jwk
            self.kid = kid
            self.nonce = nonce
            self.url = url
        }
    }

    /// Signs `payload` (nil means POST-as-GET: an empty payload) for `url` with `key`.
    /// `nonce` is nil only for the inner JWS of a key change.
    public static func sign(
        payload: Data?,
        url: String,
        nonce: String?,
        key: ACMEPrivateKey,
        keyReference: KeyReference
    ) throws -> FlattenedJWS {
        var header = Header(alg: key.jwsAlgorithm, nonce: nonce, url: url)
        switch keyReference {
        case .jwk(let jwk): header.jwk = jwk
        case .kid(let kid): header.kid = kid
        }
        let protected = Base64URL.encode(try ACMEJSON.encode(header))
        let encodedPayload = payload.map { Base64URL.encode($0) } ?? ""
        let signature = try key.sign(Data("\(protected).\(encodedPayload)".utf8))
        return FlattenedJWS(protected: protected, payload: encodedPayload, signature: Base64URL.encode(signature))
    }

    /// Signs `payload` with HMAC-SHA256 (`HS256`), as an External Account Binding does
    /// (RFC 8555 §7.3.4): header `alg`, `kid` (the CA's key identifier) and `url`, no nonce.
    static func signHS256(payload: Data, url: String, keyID: String, macKey: SymmetricKey) throws -> FlattenedJWS {
        let header = Header(alg: "HS256", kid: keyID, url: url)
        let protected = Base64URL.encode(try ACMEJSON.encode(header))
        let encodedPayload = Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(protected).\(encodedPayload)".utf8), using: macKey)
        return FlattenedJWS(protected: protected, payload: encodedPayload, signature: Base64URL.encode(mac))
    }

    /// The decoded protected header.
    public func header() throws -> Header {
        guard let data = Base64URL.decode(self.protected) else {
            throw JWSVerificationError("protected header is not base64url")
        }
        return try ACMEJSON.decoder().decode(Header.self, from: data)
    }

    /// The decoded payload bytes (empty for POST-as-GET).
    public func payloadData() throws -> Data {
        guard let data = Base64URL.decode(self.payload) else {
            throw JWSVerificationError("payload is not base64url")
        }
        return data
    }

    /// The JSON body sent to the server.
    func serialized() throws -> Data {
        try ACMEJSON.encode(self)
    }
}
