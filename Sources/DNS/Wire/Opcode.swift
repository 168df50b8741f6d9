/// The kind of query in a message header (RFC 1035 §4.1.1, 4 bits).
public struct Opcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric value on the wire.
    public let rawValue: UInt8

    /// - Parameter rawValue: only the low 4 bits are kept.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue & 0x0F
    }

    /// A standard query (0): the only kind Gatehouse answers.
    public static let query = Opcode(rawValue: 0)
    /// NOTIFY (4, RFC 1996).
    public static let notify = Opcode(rawValue: 4)
    /// UPDATE (5, RFC 2136).
    public static let update = Opcode(rawValue: 5)

    /// A readable form for logs and error messages.
    public var description: String {
        switch self {
        case .query: "QUERY"
        case .notify: "NOTIFY"
        case .update: "UPDATE"
        default: "OPCODE\(self.rawValue)"
        }
    }
}
