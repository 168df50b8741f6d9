import Crypto
import Foundation

/// How admin tokens are made and recognised: 32 random bytes, written as `gh_` followed by
/// their unpadded base64url form, and stored as the lowercase hex SHA-256 of that text.
public enum TokenSecret {
    /// The prefix of every token, so that secret scanners and people recognise one.
    public static let prefix = "gh_"
    /// Random bytes in a token.
    public static let randomByteCount = 32

    /// A new token from the system's secure random generator.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<randomByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// The stored form of `secret`: lowercase hex SHA-256 of its UTF-8 bytes.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `name` can name a token: 1 to 64 letters, digits, `.`, `_` or `-`.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
