import Crypto
import Foundation
import _CryptoExtras

/// A flattened JWS taken apart and checked with swift-crypto directly, not with the client's
/// own code, so the tests see what a CA would see.
struct DecodedJWS {
    let header: [String: Any]
    let payload: Data
    let signingInput: Data
    let signature: Data

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(body: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any],
              let protected = object["protected"] as? String,
              let payload = object["payload"] as? String,
              let signature = object["signature"] as? String
        else { throw Failure(description: "not a flattened JWS") }
        guard object.count == 3 else { throw Failure(description: "unexpected members \(object.keys.sorted())") }
        guard let headerData = Self.base64URL(protected),
              let header = try JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              let payloadData = Self.base64URL(payload),
              let signatureData = Self.base64URL(signature)
        else { throw Failure(description: "members are not base64url JSON") }
        self.header = header
        self.payload = payloadData
        self.signingInput = Data("\(protected).\(payload)".utf8)
        self.signature = signatureData
    }

    var alg: String? { self.header["alg"] as? String }
    var nonce: String? { self.header["nonce"] as? String }
    var url: String? { self.header["url"] as? String }
    var kid: String? { self.header["kid"] as? String }
    var jwk: [String: String]? { self.header["jwk"] as? [String: String] }

    /// The payload as a JSON object; nil for POST-as-GET (empty payload).
    func payloadObject() throws -> [String: Any]? {
        if self.payload.isEmpty { return nil }
        guard let object = try JSONSerialization.jsonObject(with: self.payload) as? [String: Any] else {
            throw Failure(description: "payload is not a JSON object")
        }
        return object
    }

    /// Verifies the signature against a JWK given as its JSON members.
    func verify(with jwk: [String: String]) throws -> Bool {
        switch (self.alg, jwk["kty"], jwk["crv"]) {
        case ("ES256", "EC", "P-256"):
            let key = try P256.Signing.PublicKey(rawRepresentation: try Self.coordinates(jwk))
            return key.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: self.signature), for: self.signingInput)
        case ("ES384", "EC", "P-384"):
            let key = try P384.Signing.PublicKey(rawRepresentation: try Self.coordinates(jwk))
            return key.isValidSignature(try P384.Signing.ECDSASignature(rawRepresentation: self.signature), for: self.signingInput)
        case ("RS256", "RSA", _):
            guard let n = jwk["n"].flatMap(Self.base64URL), let e = jwk["e"].flatMap(Self.base64URL) else {
                throw Failure(description: "RSA JWK without n/e")
            }
            let key = try _RSA.Signing.PublicKey(n: n, e: e)
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: self.signature), for: self.signingInput, padding: .insecurePKCS1v1_5
            )
        default:
            throw Failure(description: "alg \(self.alg ?? "nil") does not fit JWK \(jwk)")
        }
    }

    /// Verifies an HS256 MAC.
    func verifyHMAC(key: [UInt8]) -> Bool {
        guard self.alg == "HS256" else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(self.signature, authenticating: self.signingInput, using: SymmetricKey(data: key))
    }

    private static func coordinates(_ jwk: [String: String]) throws -> Data {
        guard let x = jwk["x"].flatMap(base64URL), let y = jwk["y"].flatMap(base64URL) else {
            throw Failure(description: "EC JWK without x/y")
        }
        return x + y
    }

    static func base64URL(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }

    static func base64URLEncode(_ data: some Sequence<UInt8>) -> String {
        Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
