/// A resource record CLASS or question QCLASS (RFC 1035 §3.2.4, §3.2.5).
public struct RecordClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric value on the wire.
    public let rawValue: UInt16

    /// Wraps any numeric value.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The Internet (1): the only class Gatehouse serves.
    public static let internet = RecordClass(rawValue: 1)
    /// Chaos (3).
    public static let chaos = RecordClass(rawValue: 3)
    /// None (254): in an UPDATE, a record to delete by value (RFC 2136 §2.5.4).
    public static let none = RecordClass(rawValue: 254)
    /// Any class (255, question only; in an UPDATE, delete a whole RRset or name).
    public static let any = RecordClass(rawValue: 255)

    /// The mnemonic (`IN`), or `CLASS` and the number (RFC 3597 §5).
    public var description: String {
        switch self {
        case .internet: "IN"
        case .chaos: "CH"
        case .none: "NONE"
        case .any: "ANY"
        default: "CLASS\(self.rawValue)"
        }
    }
}
