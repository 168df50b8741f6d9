/// Why octets are not a well-formed DNS message, and where the problem is.
public struct DNSWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: Hashable, Sendable {
            case truncated
            case badLabelType
            case badPointer
            case nameTooLong
            case badRecordData
            case badOPT
            case trailingData
        }

        fileprivate let base: Base

        /// The message ends before a field does, or a count promises more entries than follow.
        public static let truncated = Reason(base: .truncated)
        /// A label length octet starts with the bits 01 or 10, which RFC 1035 reserves.
        public static let badLabelType = Reason(base: .badLabelType)
        /// A compression pointer does not point before the label sequence it appears in, so it
        /// could loop (RFC 1035 §4.1.4: pointers refer to a *prior* occurrence).
        public static let badPointer = Reason(base: .badPointer)
        /// A name longer than 255 octets.
        public static let nameTooLong = Reason(base: .nameTooLong)
        /// A record's data does not match its type's layout or its RDLENGTH.
        public static let badRecordData = Reason(base: .badRecordData)
        /// An OPT record that is not at the root, is not in the additional section, or is not
        /// the only one (RFC 6891 §6.1.1).
        public static let badOPT = Reason(base: .badOPT)
        /// Octets remain after the last record the counts announce.
        public static let trailingData = Reason(base: .trailingData)

        /// A readable form for logs and error messages.
        public var description: String {
            switch self.base {
            case .truncated: "message ends early"
            case .badLabelType: "reserved label type"
            case .badPointer: "compression pointer that does not point backwards"
            case .nameTooLong: "name longer than 255 octets"
            case .badRecordData: "record data does not match its type or length"
            case .badOPT: "misplaced or repeated OPT record"
            case .trailingData: "octets after the last record"
            }
        }
    }

    /// What is wrong.
    public let reason: Reason
    /// The offset from the start of the message where the problem was found.
    public let offset: Int

    init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// A readable form for logs and error messages.
    public var description: String {
        "DNSWireError: \(self.reason) at octet \(self.offset)"
    }
}
