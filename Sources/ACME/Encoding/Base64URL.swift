import Foundation

/// base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2).
enum Base64URL {
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func encode(_ string: String) -> String {
        encode(Array(string.utf8))
    }

    /// Decodes base64url with or without padding; also accepts the standard alphabet, which
    /// some CAs use when they hand out EAB keys. Returns nil for anything else.
    static func decode(_ text: String) -> Data? {
        var standard = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        if standard.contains("=") {
            standard = String(standard.prefix { $0 != "=" })
        }
        switch standard.count % 4 {
        case 0: break
        case 2: standard += "=="
        case 3: standard += "="
        default: return nil
        }
        return Data(base64Encoded: standard)
    }
}
