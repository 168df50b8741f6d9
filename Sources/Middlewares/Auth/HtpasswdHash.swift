import Crypto
import Foundation

/// A password hash as htpasswd writes it, with the formats Traefik's basicAuth accepts: bcrypt
/// (`$2y$`, `$2a$`, `$2b$`), Apache MD5 (`$apr1$`), MD5-crypt (`$1$`) and SHA-1 (`{SHA}`).
enum HtpasswdHash: Sendable {
    case bcrypt(String)
    case md5Crypt(String)
    case sha1(Data)

    /// Parses a hash; `nil` for a format that is not supported (plain text among them).
    init?(_ encoded: String) {
        if encoded.hasPrefix("$2a$") || encoded.hasPrefix("$2b$") || encoded.hasPrefix("$2y$") {
            guard Bcrypt.Parsed(encoded) != nil else { return nil }
            self = .bcrypt(encoded)
        } else if encoded.hasPrefix("$apr1$") || encoded.hasPrefix("$1$") {
            self = .md5Crypt(encoded)
        } else if encoded.hasPrefix("{SHA}"), let digest = Data(base64Encoded: String(encoded.dropFirst(5))), digest.count == 20 {
            self = .sha1(digest)
        } else {
            return nil
        }
    }

    /// Whether checking a password takes long enough (bcrypt: tens of milliseconds) that it must
    /// not run on an event loop.
    var isSlow: Bool {
        if case .bcrypt = self { return true }
        return false
    }

    /// Whether `password` matches.
    func verify(_ password: [UInt8]) -> Bool {
        switch self {
        case .bcrypt(let encoded):
            return Bcrypt.verify(password: password, encoded: encoded)
        case .md5Crypt(let encoded):
            return MD5Crypt.verify(password: password, encoded: encoded)
        case .sha1(let digest):
            return ConstantTime.equal(Array(Insecure.SHA1.hash(data: password)), Array(digest))
        }
    }
}
