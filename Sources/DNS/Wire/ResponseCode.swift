/// The outcome of a query: RCODE, 4 bits in the header (RFC 1035 §4.1.1) extended to 12 bits by
/// the EDNS OPT record (RFC 6891 §6.1.3).
///
/// A ``DNSMessage`` holds the full 12-bit value; the writer puts the low 4 bits in the header and
/// the upper 8 in the OPT record.
public struct ResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric value on the wire.
    public let rawValue: UInt16

    /// - Parameter rawValue: only the low 12 bits are kept.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue & 0x0FFF
    }

    /// No error (0).
    public static let noError = ResponseCode(rawValue: 0)
    /// The server could not interpret the query (1, FORMERR).
    public static let formatError = ResponseCode(rawValue: 1)
    /// The server failed (2, SERVFAIL).
    public static let serverFailure = ResponseCode(rawValue: 2)
    /// The name does not exist (3, NXDOMAIN).
    public static let nameError = ResponseCode(rawValue: 3)
    /// The kind of query is not supported (4, NOTIMP).
    public static let notImplemented = ResponseCode(rawValue: 4)
    /// The server will not answer this query (5, REFUSED).
    public static let refused = ResponseCode(rawValue: 5)
    /// A name that should not exist does (6, YXDOMAIN, RFC 2136 §2.2).
    public static let nameExists = ResponseCode(rawValue: 6)
    /// An RRset that should not exist does (7, YXRRSET, RFC 2136).
    public static let rrsetExists = ResponseCode(rawValue: 7)
    /// An RRset that should exist does not (8, NXRRSET, RFC 2136).
    public static let rrsetMissing = ResponseCode(rawValue: 8)
    /// The server is not authoritative for the zone, or the request's TSIG failed (9, NOTAUTH,
    /// RFC 2136, RFC 8945).
    public static let notAuthoritative = ResponseCode(rawValue: 9)
    /// A name in the update is outside the zone (10, NOTZONE, RFC 2136).
    public static let notInZone = ResponseCode(rawValue: 10)
    /// The query's EDNS version is not supported (16, BADVERS, RFC 6891 §9).
    public static let badVersion = ResponseCode(rawValue: 16)

    /// The mnemonic dig prints (`NXDOMAIN`), or `RCODE` and the number.
    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        case .nameExists: "YXDOMAIN"
        case .rrsetExists: "YXRRSET"
        case .rrsetMissing: "NXRRSET"
        case .notAuthoritative: "NOTAUTH"
        case .notInZone: "NOTZONE"
        case .badVersion: "BADVERS"
        default: "RCODE\(self.rawValue)"
        }
    }
}
