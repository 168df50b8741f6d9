import Crypto
import Foundation
import _CryptoExtras

/// Why a JWS did not verify.
public struct JWSVerificationError: Error, CustomStringConvertible, Sendable {
    /// What did not verify.
    public let description: String

    init(_ description: String) {
        self.description = "JWS verification failed: \(description)"
    }
}

extension FlattenedJWS {
    /// Checks the signature against `jwk` for `ES256`, `ES384` and `RS256`. Used by the tests,
    /// and by anything that receives JWS from ACME clients.
    ///
    /// - Returns: `true` when the signature is valid for the header's algorithm and the key.
    public func verifySignature(with jwk: JWK) throws -> Bool {
        let header = try self.header()
        guard let signature = Base64URL.decode(self.signature) else {
            throw JWSVerificationError("signature is not base64url")
        }
        let input = Data("\(self.protected).\(self.payload)".utf8)
        switch (header.alg, jwk) {
        case ("ES256", .ec("P-256", let x, let y)):
            let key = try P256.Signing.PublicKey(rawRepresentation: try Self.coordinates(x, y, size: 32))
            return key.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: signature), for: input)
        case ("ES384", .ec("P-384", let x, let y)):
            let key = try P384.Signing.PublicKey(rawRepresentation: try Self.coordinates(x, y, size: 48))
            return key.isValidSignature(try P384.Signing.ECDSASignature(rawRepresentation: signature), for: input)
        case ("RS256", .rsa(let n, let e)):
            guard let modulus = Base64URL.decode(n), let exponent = Base64URL.decode(e) else {
                throw JWSVerificationError("RSA key members are not base64url")
            }
            let key = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: input, padding: .insecurePKCS1v1_5
            )
        default:
            throw JWSVerificationError("algorithm \(header.alg) does not fit key \(jwk)")
        }
    }

    /// Checks an `HS256` signature (an External Account Binding) against `macKey`.
    public func verifyHMAC(macKey: some ContiguousBytes) throws -> Bool {
        let header = try self.header()
        guard header.alg == "HS256" else {
            throw JWSVerificationError("algorithm \(header.alg) is not HS256")
        }
        guard let signature = Base64URL.decode(self.signature) else {
            throw JWSVerificationError("signature is not base64url")
        }
        return HMAC<SHA256>.isValidAuthenticationCode(
            signature, authenticating: Data("\(self.protected).\(self.payload)".utf8), using: SymmetricKey(data: macKey)
        )
    }

    private static func coordinates(_ x: String, _ y: String, size: Int) throws -> Data {
        guard let xBytes = Base64URL.decode(x), let yBytes = Base64URL.decode(y),
              xBytes.count == size, yBytes.count == size
        else {
            throw JWSVerificationError("EC coordinates are not \(size)-byte base64url values")
        }
        return xBytes + yBytes
    }
}
