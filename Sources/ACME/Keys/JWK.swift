import Crypto
import Foundation

/// A public JSON Web Key (RFC 7517) as ACME uses it: EC (P-256, P-384) or RSA.
public enum JWK: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An elliptic-curve key: `crv` is `P-256` or `P-384`; `x` and `y` are base64url.
    case ec(crv: String, x: String, y: String)
    /// An RSA key: modulus `n` and exponent `e`, base64url of their unsigned big-endian bytes.
    case rsa(n: String, e: String)

    /// The members in lexicographic order with no whitespace: the input of the thumbprint
    /// (RFC 7638 §3.3). All values are base64url or fixed names, so no escaping is needed.
    public var canonicalJSON: String {
        switch self {
        case .ec(let crv, let x, let y):
            return #"{"crv":"\#(crv)","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        case .rsa(let n, let e):
            return #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
        }
    }

    /// The RFC 7638 thumbprint: base64url(SHA-256(canonical JSON)).
    public var thumbprint: String {
        Base64URL.encode(SHA256.hash(data: Data(self.canonicalJSON.utf8)))
    }

    /// The canonical JSON; a JWK holds a public key only.
    public var description: String { "JWK(\(self.canonicalJSON))" }

    private enum CodingKeys: String, CodingKey {
        case kty, crv, x, y, n, e
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kty = try container.decode(String.self, forKey: .kty)
        switch kty {
        case "EC":
            self = .ec(
                crv: try container.decode(String.self, forKey: .crv),
                x: try container.decode(String.self, forKey: .x),
                y: try container.decode(String.self, forKey: .y)
            )
        case "RSA":
            self = .rsa(n: try container.decode(String.self, forKey: .n), e: try container.decode(String.self, forKey: .e))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kty, in: container, debugDescription: "unsupported JWK key type \(kty)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ec(let crv, let x, let y):
            try container.encode(crv, forKey: .crv)
            try container.encode("EC", forKey: .kty)
            try container.encode(x, forKey: .x)
            try container.encode(y, forKey: .y)
        case .rsa(let n, let e):
            try container.encode(e, forKey: .e)
            try container.encode("RSA", forKey: .kty)
            try container.encode(n, forKey: .n)
        }
    }
}
