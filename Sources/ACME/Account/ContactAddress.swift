import Foundation

/// Account contact addresses: e-mail addresses as `mailto:` URIs (RFC 8555 §7.3, RFC 6068).
public enum ContactAddress {
    /// Turns each address into a `mailto:` URI, accepting `user@example.com` and
    /// `mailto:user@example.com`.
    ///
    /// An address is refused when it has no `@`, an empty local part or domain, a domain that
    /// is not a dotted host name, whitespace or control characters, or more than one address
    /// or header fields (`,` `?`: ACME CAs refuse those).
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidContact`` naming the address.
    public static func mailtoURIs(_ addresses: [String]) throws -> [String] {
        try addresses.map(mailtoURI)
    }

    /// One address; see ``mailtoURIs(_:)``.
    public static func mailtoURI(_ address: String) throws -> String {
        func refuse(_ reason: String) -> ACMEError {
            ACMEError(
                code: .invalidContact, step: .configuration, url: nil,
                message: "contact \"\(address)\" is not a usable e-mail address: \(reason)"
            )
        }
        var email = address
        if email.lowercased().hasPrefix("mailto:") {
            email = String(email.dropFirst("mailto:".count))
        } else if email.contains(":") && !email.contains("@") {
            throw refuse("only mailto: contacts are supported")
        }
        guard !email.isEmpty else { throw refuse("it is empty") }
        guard email.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            throw refuse("it contains whitespace or control characters")
        }
        guard !email.contains(","), !email.contains("?") else {
            throw refuse("one address per contact, without header fields")
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw refuse("it needs exactly one @") }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty else { throw refuse("the part before @ is empty") }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            throw refuse("the part before @ has a misplaced dot")
        }
        let specials = Set("()<>[]\\;:\"")
        guard !local.contains(where: { specials.contains($0) }) else {
            throw refuse("the part before @ contains characters that need quoting")
        }
        guard isHostName(domain) else { throw refuse("\"\(domain)\" is not a domain name") }
        return "mailto:" + email
    }

    private static func isHostName(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, domain.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else {
                return false
            }
            return label.unicodeScalars.allSatisfy {
                ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x41 && $0.value <= 0x5A)
                    || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "-" || $0.value > 0x7F
            }
        }
    }
}
