import Foundation

/// An identifier a certificate is for (RFC 8555 §9.7.7): a DNS name (possibly a wildcard,
/// `*.example.com`) or an IP address (RFC 8738).
public struct ACMEIdentifier: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The identifier type; unknown types are kept as they are.
    public struct IdentifierType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The value as sent on the wire.
        public let rawValue: String

        /// Wraps a value as received.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// A DNS name (RFC 8555 §9.7.7).
        public static let dns = IdentifierType(rawValue: "dns")
        /// An IP address (RFC 8738).
        public static let ip = IdentifierType(rawValue: "ip")

        /// The raw value.
        public var description: String { self.rawValue }
    }

    /// The identifier type.
    public var type: IdentifierType
    /// The field value.
    public var value: String

    /// An identifier as given; prefer ``dns(_:)`` and ``ip(_:)``.
    public init(type: IdentifierType, value: String) {
        self.type = type
        self.value = value
    }

    /// A DNS identifier, lower-cased and without a trailing dot. Pass international names
    /// in their ASCII (punycode) form.
    public static func dns(_ name: String) -> ACMEIdentifier {
        var value = name.lowercased()
        if value.hasSuffix(".") { value.removeLast() }
        return ACMEIdentifier(type: .dns, value: value)
    }

    /// An IP address identifier (RFC 8738), in its textual form.
    public static func ip(_ address: String) -> ACMEIdentifier {
        ACMEIdentifier(type: .ip, value: address)
    }

    /// `true` for a DNS identifier that starts with `*.`.
    public var isWildcard: Bool { self.type == .dns && self.value.hasPrefix("*.") }

    /// The DNS name without a leading `*.`: what a wildcard's authorization is for, and the
    /// base of its `_acme-challenge` record.
    public var domainWithoutWildcard: String {
        self.isWildcard ? String(self.value.dropFirst(2)) : self.value
    }

    /// `dns:example.com`.
    public var description: String { "\(self.type.rawValue):\(self.value)" }
}
