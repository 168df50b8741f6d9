import Foundation

/// A challenge (RFC 8555 §7.1.5, §8): one way to prove control of an identifier.
public struct ACMEChallenge: Sendable, Hashable, Decodable {
    /// The challenge type; unknown types are kept as they are.
    public struct ChallengeType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The value as sent on the wire.
        public let rawValue: String

        /// Wraps a value as received.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// HTTP-01 (RFC 8555 §8.3): a file under `/.well-known/acme-challenge/` on port 80.
        public static let http01 = ChallengeType(rawValue: "http-01")
        /// DNS-01 (RFC 8555 §8.4): a TXT record at `_acme-challenge.<domain>`.
        public static let dns01 = ChallengeType(rawValue: "dns-01")
        /// TLS-ALPN-01 (RFC 8737): a certificate served for ALPN `acme-tls/1` on port 443.
        public static let tlsALPN01 = ChallengeType(rawValue: "tls-alpn-01")

        /// The raw value.
        public var description: String { self.rawValue }
    }

    /// The challenge type.
    public var type: ChallengeType
    /// Where to POST the response (and to poll the challenge).
    public var url: String
    /// The status (RFC 8555 §7.1.6).
    public var status: ACMEStatus
    /// The token; present for the three standard types.
    public var token: String?
    /// When the server validated it.
    public var validated: Date?
    /// Why validation failed, when it did.
    public var error: ACMEProblem?

    /// A challenge, e.g. for a solver's tests; the client decodes them from the CA.
    public init(
        type: ChallengeType, url: String, status: ACMEStatus, token: String? = nil,
        validated: Date? = nil, error: ACMEProblem? = nil
    ) {
        self.type = type
        self.url = url
        self.status = status
        self.token = token
        self.validated = validated
        self.error = error
    }
}
