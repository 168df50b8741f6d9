#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CertificatesResolver.ACME {
    /// The values in this section that cannot work, each with its key path below `acme.`
    /// (e.g. `email`, `eab.hmacEncoded`) and a message. Checked without network access: an
    /// unreachable CA shows up when the resolver first calls it.
    public func fieldProblems() -> [(keyPath: String, message: String)] {
        var problems: [(String, String)] = []
        if let email, !email.isEmpty, let problem = Self.emailProblem(email) {
            problems.append(("email", problem))
        }
        for (index, address) in (emailAddresses ?? []).enumerated() {
            if let problem = Self.emailProblem(address) {
                problems.append(("emailAddresses[\(index)]", problem))
            }
        }
        if let caServer, let problem = Self.urlProblem(caServer) {
            problems.append(("caServer", problem))
        }
        if let keyType, !Self.keyTypes.contains(keyType.uppercased()) {
            let hint = keyType.uppercased() == "RSA8192" ? " (RSA8192 is not supported: its handshakes are too slow to be worth it)" : ""
            problems.append(("keyType", "unknown key type \"\(keyType)\"; use one of \(Self.keyTypes.joined(separator: ", "))\(hint)"))
        }
        if let certificatesDuration, certificatesDuration <= 0 {
            problems.append(("certificatesDuration", "must be a positive number of hours, got \(certificatesDuration)"))
        }
        if let eab {
            let kid = eab.kid ?? ""
            let hmac = eab.hmacEncoded ?? ""
            if kid.isEmpty { problems.append(("eab.kid", "missing key identifier (eab needs both kid and hmacEncoded)")) }
            if hmac.isEmpty {
                problems.append(("eab.hmacEncoded", "missing HMAC key (eab needs both kid and hmacEncoded)"))
            } else if Self.base64URLDecodedCount(hmac) == nil {
                // The value is a secret: the message never repeats it.
                problems.append(("eab.hmacEncoded", "not base64url-encoded (RFC 4648 §5, as the CA gave it)"))
            }
        }
        for (index, entry) in (caCertificates ?? []).enumerated() where entry.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(("caCertificates[\(index)]", "empty entry"))
        }
        return problems
    }

    /// Why `email` cannot be an ACME contact (`mailto:` address), or `nil` when it can.
    static func emailProblem(_ email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let shown = "\"\(email)\""
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return "malformed e-mail address \(shown): expected one @ between a local part and a domain"
        }
        if email.hasPrefix("mailto:") {
            return "malformed e-mail address \(shown): write the address without mailto:"
        }
        if email.contains(where: { $0.isWhitespace || $0 == "," || $0 == "<" || $0 == ">" || $0 == "\"" }) {
            return "malformed e-mail address \(shown): spaces, commas, quotes and angle brackets are not allowed"
        }
        let domainLabels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard domainLabels.count >= 2, domainLabels.allSatisfy({ !$0.isEmpty }) else {
            return "malformed e-mail address \(shown): the domain needs at least two non-empty labels"
        }
        return nil
    }

    /// Why `url` cannot be an ACME directory URL, or `nil` when it can.
    static func urlProblem(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http" else {
            return "\"\(url)\" is not an http(s) URL of an ACME directory"
        }
        guard let host = components.host, !host.isEmpty else {
            return "\"\(url)\" has no host"
        }
        return nil
    }

    /// The decoded length of base64url text (padding optional), or `nil` when it is not base64url.
    static func base64URLDecodedCount(_ text: String) -> Int? {
        let trimmed = text.hasSuffix("=") ? String(text.prefix { $0 != "=" }) : text
        guard trimmed.unicodeScalars.allSatisfy({ ("a"..."z").contains($0)
            || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else { return nil }
        var standard = trimmed.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)?.count
    }
}
