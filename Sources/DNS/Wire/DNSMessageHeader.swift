import NIOCore

/// The fields of the 12-octet header that can be read even when the rest of a message cannot,
/// so a server can answer a malformed query with FORMERR under the right ID.
///
/// RFC 1035 §4.1.1:
///
///                                     1  1  1  1  1  1
///       0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                      ID                       |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |            QDCOUNT / ANCOUNT / NSCOUNT / ARCOUNT
struct DNSMessageHeader: Hashable, Sendable {
    var id: UInt16
    var flags: UInt16
    var questionCount: UInt16
    var answerCount: UInt16
    var authorityCount: UInt16
    var additionalCount: UInt16

    static let responseBit: UInt16 = 1 << 15
    static let authoritativeBit: UInt16 = 1 << 10
    static let truncatedBit: UInt16 = 1 << 9
    static let recursionDesiredBit: UInt16 = 1 << 8
    static let recursionAvailableBit: UInt16 = 1 << 7
    static let authenticDataBit: UInt16 = 1 << 5
    static let checkingDisabledBit: UInt16 = 1 << 4

    /// Reads the header at the reader index of `bytes` without moving it; `nil` when fewer than
    /// 12 octets are readable.
    init?(peeking bytes: ByteBuffer) {
        let start = bytes.readerIndex
        guard bytes.readableBytes >= DNSMessage.headerLength,
            let id = bytes.getInteger(at: start, as: UInt16.self),
            let flags = bytes.getInteger(at: start + 2, as: UInt16.self),
            let qd = bytes.getInteger(at: start + 4, as: UInt16.self),
            let an = bytes.getInteger(at: start + 6, as: UInt16.self),
            let ns = bytes.getInteger(at: start + 8, as: UInt16.self),
            let ar = bytes.getInteger(at: start + 10, as: UInt16.self)
        else { return nil }
        self.init(id: id, flags: flags, questionCount: qd, answerCount: an, authorityCount: ns, additionalCount: ar)
    }

    init(id: UInt16, flags: UInt16, questionCount: UInt16, answerCount: UInt16, authorityCount: UInt16, additionalCount: UInt16) {
        self.id = id
        self.flags = flags
        self.questionCount = questionCount
        self.answerCount = answerCount
        self.authorityCount = authorityCount
        self.additionalCount = additionalCount
    }

    var isResponse: Bool { self.flags & Self.responseBit != 0 }
    var opcode: Opcode { Opcode(rawValue: UInt8(truncatingIfNeeded: self.flags >> 11)) }
    var responseCode: UInt16 { self.flags & 0x000F }

    func has(_ bit: UInt16) -> Bool {
        self.flags & bit != 0
    }
}
