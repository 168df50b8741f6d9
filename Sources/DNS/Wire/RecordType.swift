/// A resource record TYPE or question QTYPE (RFC 1035 §3.2.2, §3.2.3), as an open set: any
/// 16-bit value is representable, the ones Gatehouse handles have names.
public struct RecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric value on the wire.
    public let rawValue: UInt16

    /// Wraps any numeric value.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// An IPv4 host address (1).
    public static let a = RecordType(rawValue: 1)
    /// An authoritative name server (2).
    public static let ns = RecordType(rawValue: 2)
    /// The canonical name for an alias (5).
    public static let cname = RecordType(rawValue: 5)
    /// Start of a zone of authority (6).
    public static let soa = RecordType(rawValue: 6)
    /// A domain name pointer (12).
    public static let ptr = RecordType(rawValue: 12)
    /// Mail exchange (15).
    public static let mx = RecordType(rawValue: 15)
    /// Text strings (16): what ACME DNS-01 publishes.
    public static let txt = RecordType(rawValue: 16)
    /// An IPv6 host address (28, RFC 3596).
    public static let aaaa = RecordType(rawValue: 28)
    /// The EDNS(0) pseudo-record (41, RFC 6891).
    public static let opt = RecordType(rawValue: 41)
    /// Incremental zone transfer (251, question only).
    public static let ixfr = RecordType(rawValue: 251)
    /// Zone transfer (252, question only).
    public static let axfr = RecordType(rawValue: 252)
    /// All records (255, question only).
    public static let any = RecordType(rawValue: 255)

    /// The mnemonic (`TXT`), or `TYPE` and the number for unnamed types (RFC 3597 §5).
    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .ptr: "PTR"
        case .mx: "MX"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .opt: "OPT"
        case .ixfr: "IXFR"
        case .axfr: "AXFR"
        case .any: "ANY"
        default: "TYPE\(self.rawValue)"
        }
    }
}
