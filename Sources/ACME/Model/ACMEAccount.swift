import Foundation

/// An ACME account (RFC 8555 §7.1.2) and its URL, which is the `kid` of later requests.
public struct ACMEAccount: Sendable, Hashable, Decodable {
    /// The account URL (from the `Location` header).
    public internal(set) var url: String = ""
    /// `true` when the request created the account (HTTP 201), `false` when it already existed.
    public internal(set) var wasCreated: Bool = false
    /// The status (RFC 8555 §7.1.6).
    public var status: ACMEStatus
    /// Contact URIs, e.g. `mailto:admin@example.com`.
    public var contact: [String]?
    /// Whether the account agreed to the terms of service.
    public var termsOfServiceAgreed: Bool?
    /// URL of the account's order list.
    public var orders: String?

    private enum CodingKeys: String, CodingKey {
        case status, contact, termsOfServiceAgreed, orders
    }
}
