import Foundation

/// An order (RFC 8555 §7.1.3): the identifiers a certificate is wanted for, their
/// authorizations, and where to finalize it and fetch the certificate.
public struct ACMEOrder: Sendable, Hashable, Decodable {
    /// The order URL (from the `Location` header of newOrder, or the URL it was fetched from).
    public internal(set) var url: String = ""
    /// The server's `Retry-After` on the response this value came from, if any.
    public internal(set) var retryAfter: Duration?
    /// The status (RFC 8555 §7.1.6).
    public var status: ACMEStatus
    /// When it expires, if the server says.
    public var expires: Date?
    /// The identifiers the order is for.
    public var identifiers: [ACMEIdentifier]
    /// The requested start of validity, if any.
    public var notBefore: Date?
    /// The requested end of validity, if any.
    public var notAfter: Date?
    /// Why the order is invalid, when it is.
    public var error: ACMEProblem?
    /// Authorization URLs, one per identifier that still needs (or had) one.
    public var authorizations: [String]
    /// Where to POST the CSR.
    public var finalize: String
    /// The certificate URL, once the order is valid.
    public var certificate: String?
    /// The ACME profile the order was made with (profiles draft), when the server reports it.
    public var profile: String?
    /// The ARI certificate identifier this order replaces (RFC 9773), when set.
    public var replaces: String?

    /// The identifiers' values joined by ", ", for messages.
    var identifierList: String {
        self.identifiers.map(\.value).joined(separator: ", ")
    }

    private enum CodingKeys: String, CodingKey {
        case status, expires, identifiers, notBefore, notAfter, error, authorizations, finalize, certificate
        case profile, replaces
    }
}
