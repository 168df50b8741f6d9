import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A private key the client signs with: an ACME account key, or a certificate's key (for
/// its CSR and for revocation by certificate key).
///
/// ES256 (P-256) is the default; ES384 (P-384) and RS256 (RSA, PKCS#1 v1.5, SHA-256) are
/// the others. The key material never appears in `description` or in an error; only
/// ``pemRepresentation`` exports it, for storage.
public struct ACMEPrivateKey: Sendable, CustomStringConvertible, CustomReflectable {
    /// The kind and size of a key, in the names Traefik uses for `keyType`.
    public struct KeyType: Sendable, Hashable, CustomStringConvertible {
        enum Kind: Sendable, Hashable {
            case p256
            case p384
            case rsa(bits: Int)
        }

        let kind: Kind

        /// ECDSA P-256; JWS algorithm ES256. The default.
        public static let ec256 = KeyType(kind: .p256)
        /// ECDSA P-384; JWS algorithm ES384.
        public static let ec384 = KeyType(kind: .p384)
        /// RSA 2048; JWS algorithm RS256.
        public static let rsa2048 = KeyType(kind: .rsa(bits: 2048))
        /// RSA 3072; JWS algorithm RS256.
        public static let rsa3072 = KeyType(kind: .rsa(bits: 3072))
        /// RSA 4096; JWS algorithm RS256.
        public static let rsa4096 = KeyType(kind: .rsa(bits: 4096))

        /// Parses Traefik's names: `EC256`, `EC384`, `RSA2048`, `RSA3072`, `RSA4096`
        /// (case-insensitive). Returns nil for any other name.
        public init?(name: String) {
            switch name.uppercased() {
            case "EC256", "P256": self = .ec256
            case "EC384", "P384": self = .ec384
            case "RSA2048": self = .rsa2048
            case "RSA3072": self = .rsa3072
            case "RSA4096": self = .rsa4096
            default: return nil
            }
        }

        init(kind: Kind) {
            self.kind = kind
        }

        /// Traefik's name of the key type, e.g. `EC256`.
        public var description: String {
            switch self.kind {
            case .p256: return "EC256"
            case .p384: return "EC384"
            case .rsa(let bits): return "RSA\(bits)"
            }
        }
    }

    /// EC keys are held as their raw scalar because swift-crypto's EC key types are not
    /// `Sendable` on Linux; they are rebuilt for each use (microseconds, control plane only).
    enum Backing: Sendable {
        case p256(Data)
        case p384(Data)
        case rsa(_RSA.Signing.PrivateKey)
    }

    let backing: Backing

    /// The public key as a JWK, computed once.
    public let jwk: JWK

    /// Generates a new key of the given type.
    public static func generate(_ type: KeyType = .ec256) throws -> ACMEPrivateKey {
        switch type.kind {
        case .p256: return ACMEPrivateKey(P256.Signing.PrivateKey())
        case .p384: return ACMEPrivateKey(P384.Signing.PrivateKey())
        case .rsa(let bits):
            return try ACMEPrivateKey(_RSA.Signing.PrivateKey(keySize: .init(bitCount: bits)))
        }
    }

    /// Wraps a P-256 key (JWS algorithm ES256).
    public init(_ key: P256.Signing.PrivateKey) {
        self.backing = .p256(key.rawRepresentation)
        let raw = key.publicKey.rawRepresentation
        self.jwk = .ec(crv: "P-256", x: Base64URL.encode(raw.prefix(32)), y: Base64URL.encode(raw.suffix(32)))
    }

    /// Wraps a P-384 key (JWS algorithm ES384).
    public init(_ key: P384.Signing.PrivateKey) {
        self.backing = .p384(key.rawRepresentation)
        let raw = key.publicKey.rawRepresentation
        self.jwk = .ec(crv: "P-384", x: Base64URL.encode(raw.prefix(48)), y: Base64URL.encode(raw.suffix(48)))
    }

    /// Wraps an RSA key (JWS algorithm RS256).
    ///
    /// - Throws: when the key's public primitives cannot be read.
    public init(_ key: _RSA.Signing.PrivateKey) throws {
        self.backing = .rsa(key)
        let primitives = try key.publicKey.getKeyPrimitives()
        self.jwk = .rsa(
            n: Base64URL.encode(primitives.modulus.drop { $0 == 0 }),
            e: Base64URL.encode(primitives.publicExponent.drop { $0 == 0 })
        )
    }

    /// Loads a key from PEM (PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`, or PKCS#1
    /// `RSA PRIVATE KEY`).
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` when the PEM is no
    ///   P-256, P-384 or RSA (2048 bits or more) private key. The error does not quote the PEM.
    public init(pemRepresentation pem: String) throws {
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            self.init(key)
        } else if let key = try? P384.Signing.PrivateKey(pemRepresentation: pem) {
            self.init(key)
        } else if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
            try self.init(key)
        } else {
            throw ACMEError(
                code: .invalidArgument, step: .configuration, url: nil,
                message: "the PEM text is not a P-256, P-384 or RSA (2048 bits or more) private key"
            )
        }
    }

    /// Loads a key from DER: PKCS#8 `PrivateKeyInfo` (what ``derRepresentation`` writes), SEC1
    /// `ECPrivateKey` or PKCS#1 `RSAPrivateKey`.
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` when the bytes are no
    ///   P-256, P-384 or RSA (2048 bits or more) private key. The error does not quote them.
    public init(derRepresentation der: some DataProtocol) throws {
        let bytes = Array(der)
        if let key = try? P256.Signing.PrivateKey(derRepresentation: bytes) {
            self.init(key)
        } else if let key = try? P384.Signing.PrivateKey(derRepresentation: bytes) {
            self.init(key)
        } else if let key = try? _RSA.Signing.PrivateKey(derRepresentation: bytes) {
            try self.init(key)
        } else {
            throw ACMEError(
                code: .invalidArgument, step: .configuration, url: nil,
                message: "the DER bytes are not a P-256, P-384 or RSA (2048 bits or more) private key"
            )
        }
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), for storage. Treat the result
    /// as a secret.
    public var pemRepresentation: String {
        switch self.backing {
        case .p256(let raw): return Self.p256(raw).pemRepresentation
        case .p384(let raw): return Self.p384(raw).pemRepresentation
        case .rsa(let key): return key.pkcs8PEMRepresentation
        }
    }

    /// The key as PKCS#8 DER (`PrivateKeyInfo`), for storage. Treat the result as a secret.
    public var derRepresentation: [UInt8] {
        switch self.backing {
        case .p256(let raw): return Array(Self.p256(raw).derRepresentation)
        case .p384(let raw): return Array(Self.p384(raw).derRepresentation)
        case .rsa(let key):
            // BoringSSL writes PKCS#8 only as PEM; its base64 body is the DER.
            // A PEM the library itself wrote always parses.
            return (try? PEMDocument(pemString: key.pkcs8PEMRepresentation).derBytes) ?? Array(key.derRepresentation)
        }
    }

    /// The key's type.
    public var keyType: KeyType {
        switch self.backing {
        case .p256: return .ec256
        case .p384: return .ec384
        case .rsa(let key): return KeyType(kind: .rsa(bits: key.keySizeInBits))
        }
    }

    /// The JWS `alg` this key signs with: `ES256`, `ES384` or `RS256`.
    public var jwsAlgorithm: String {
        switch self.backing {
        case .p256: return "ES256"
        case .p384: return "ES384"
        case .rsa: return "RS256"
        }
    }

    /// The RFC 7638 thumbprint of the public key; key authorizations end with it.
    public var thumbprint: String { self.jwk.thumbprint }

    /// The key as swift-certificates wants it, for CSRs and certificates.
    public var certificatePrivateKey: Certificate.PrivateKey {
        switch self.backing {
        case .p256(let raw): return Certificate.PrivateKey(Self.p256(raw))
        case .p384(let raw): return Certificate.PrivateKey(Self.p384(raw))
        case .rsa(let key): return Certificate.PrivateKey(key)
        }
    }

    /// The X.509 signature algorithm for certificates and CSRs this key signs: ECDSA with
    /// SHA-256 (P-256) or SHA-384 (P-384), or RSA PKCS#1 v1.5 with SHA-256.
    var certificateSignatureAlgorithm: Certificate.SignatureAlgorithm {
        switch self.backing {
        case .p256: return .ecdsaWithSHA256
        case .p384: return .ecdsaWithSHA384
        case .rsa: return .sha256WithRSAEncryption
        }
    }

    /// Signs `input` as the JWS algorithm requires: ECDSA raw R||S (RFC 7518 §3.4), or
    /// RSASSA-PKCS1-v1_5 with SHA-256 (§3.3).
    func sign(_ input: Data) throws -> Data {
        switch self.backing {
        case .p256(let raw): return try Self.p256(raw).signature(for: input).rawRepresentation
        case .p384(let raw): return try Self.p384(raw).signature(for: input).rawRepresentation
        case .rsa(let key): return try key.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }

    // The raw scalars were taken from valid keys, so rebuilding them cannot fail.
    private static func p256(_ raw: Data) -> P256.Signing.PrivateKey {
        try! P256.Signing.PrivateKey(rawRepresentation: raw)
    }

    private static func p384(_ raw: Data) -> P384.Signing.PrivateKey {
        try! P384.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// Algorithm and thumbprint; never the key.
    public var description: String { "ACMEPrivateKey(\(self.keyType), thumbprint: \(self.thumbprint))" }

    /// Type and thumbprint only, so `dump` and debuggers do not show the key material.
    public var customMirror: Mirror {
        Mirror(self, children: ["keyType": self.keyType, "thumbprint": self.thumbprint])
    }
}
