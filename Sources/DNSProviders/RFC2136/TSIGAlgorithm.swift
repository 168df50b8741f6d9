import Crypto
import DNS

/// A TSIG MAC algorithm (RFC 8945 §6), named as in the TSIG record's Algorithm Name field.
public struct TSIGAlgorithm: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case md5, sha1, sha256, sha384, sha512
    }

    private let base: Base

    /// HMAC-MD5 (`hmac-md5.sig-alg.reg.int.`): still BIND's legacy keys; not recommended.
    public static let hmacMD5 = TSIGAlgorithm(base: .md5)
    /// HMAC-SHA1 (`hmac-sha1.`): lego's default for RFC2136_TSIG_ALGORITHM.
    public static let hmacSHA1 = TSIGAlgorithm(base: .sha1)
    /// HMAC-SHA256 (`hmac-sha256.`): BIND's tsig-keygen default.
    public static let hmacSHA256 = TSIGAlgorithm(base: .sha256)
    /// HMAC-SHA384 (`hmac-sha384.`).
    public static let hmacSHA384 = TSIGAlgorithm(base: .sha384)
    /// HMAC-SHA512 (`hmac-sha512.`).
    public static let hmacSHA512 = TSIGAlgorithm(base: .sha512)

    /// Every supported algorithm.
    public static let all: [TSIGAlgorithm] = [.hmacMD5, .hmacSHA1, .hmacSHA256, .hmacSHA384, .hmacSHA512]

    /// Parses `hmac-sha256`, `hmac-sha256.`, `HMAC-SHA256`, `hmac-md5.sig-alg.reg.int.`; `nil`
    /// for anything else.
    public init?(_ text: String) {
        var lowered = text.lowercased()
        while lowered.hasSuffix(".") { lowered.removeLast() }
        guard let found = Self.all.first(where: { $0.shortName == lowered || $0.algorithmName.description == lowered + "." }) else {
            return nil
        }
        self = found
    }

    private init(base: Base) {
        self.base = base
    }

    /// The name in lego and BIND configuration: `hmac-sha256`.
    public var shortName: String {
        switch self.base {
        case .md5: "hmac-md5"
        case .sha1: "hmac-sha1"
        case .sha256: "hmac-sha256"
        case .sha384: "hmac-sha384"
        case .sha512: "hmac-sha512"
        }
    }

    /// The Algorithm Name on the wire (RFC 8945 §6): `hmac-sha256.`, or
    /// `hmac-md5.sig-alg.reg.int.` for MD5.
    public var algorithmName: DomainName {
        // The literals are valid names.
        try! DomainName(self.base == .md5 ? "hmac-md5.sig-alg.reg.int." : self.shortName + ".")
    }

    /// The MAC of `data` under `key`.
    public func mac(_ data: [UInt8], key: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self.base {
        case .md5: return Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: key))
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .sha384: return Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
        }
    }

    /// The short name.
    public var description: String { self.shortName }
}
