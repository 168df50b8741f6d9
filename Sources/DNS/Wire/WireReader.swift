import NIOCore

/// Reads the fields of one DNS message. Every read checks the bounds and throws
/// ``DNSWireError`` instead of trapping, so no input can crash the reader. Offsets are from the
/// start of the message, which compression pointers are relative to.
struct WireReader {
    /// The message, with its first octet at index 0.
    private let message: ByteBuffer
    /// The offset of the next octet to read.
    private(set) var position: Int

    init(_ bytes: ByteBuffer) {
        // A slice starts at index 0, whatever the caller's reader index was.
        self.message = bytes.getSlice(at: bytes.readerIndex, length: bytes.readableBytes) ?? ByteBuffer()
        self.position = 0
    }

    var length: Int { self.message.readableBytes }
    var remaining: Int { self.length - self.position }

    mutating func skip(_ count: Int) throws(DNSWireError) {
        guard count <= self.remaining else { throw DNSWireError(.truncated, at: self.position) }
        self.position += count
    }

    mutating func readUInt8() throws(DNSWireError) -> UInt8 {
        guard let value = self.message.getInteger(at: self.position, as: UInt8.self) else {
            throw DNSWireError(.truncated, at: self.position)
        }
        self.position += 1
        return value
    }

    mutating func readUInt16() throws(DNSWireError) -> UInt16 {
        guard let value = self.message.getInteger(at: self.position, as: UInt16.self) else {
            throw DNSWireError(.truncated, at: self.position)
        }
        self.position += 2
        return value
    }

    mutating func readUInt32() throws(DNSWireError) -> UInt32 {
        guard let value = self.message.getInteger(at: self.position, as: UInt32.self) else {
            throw DNSWireError(.truncated, at: self.position)
        }
        self.position += 4
        return value
    }

    mutating func readBytes(_ count: Int) throws(DNSWireError) -> [UInt8] {
        guard count <= self.remaining, let bytes = self.message.getBytes(at: self.position, length: count) else {
            throw DNSWireError(.truncated, at: self.position)
        }
        self.position += count
        return bytes
    }

    /// Reads a possibly compressed name and moves past it (past the first pointer, when there
    /// is one).
    ///
    /// RFC 1035 §4.1.4: a name is a sequence of labels ending in a zero octet, or in a pointer
    /// (two octets starting with bits 11) to a prior occurrence of a name. A length octet
    /// starting with 01 or 10 is reserved (RFC 6891 retired the 01 extended label types).
    ///
    /// Loop protection: each pointer must point before the start of the label run it ends (the
    /// name's first octet, or the previous pointer's target). Targets then strictly decrease,
    /// so following them always terminates; compression as RFC 1035 describes it (pointing at
    /// names written earlier) always satisfies this.
    mutating func readName() throws(DNSWireError) -> DomainName {
        var labels: [[UInt8]] = []
        var wireLength = 1
        var cursor = self.position
        var runStart = self.position
        var resumeAt: Int? = nil

        while true {
            guard let length = self.message.getInteger(at: cursor, as: UInt8.self) else {
                throw DNSWireError(.truncated, at: cursor)
            }
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    self.position = resumeAt ?? (cursor + 1)
                    return DomainName(uncheckedLabels: labels)
                }
                wireLength += 1 + Int(length)
                guard wireLength <= DomainName.maximumWireLength else { throw DNSWireError(.nameTooLong, at: cursor) }
                guard let label = self.message.getBytes(at: cursor + 1, length: Int(length)) else {
                    throw DNSWireError(.truncated, at: cursor)
                }
                labels.append(label)
                cursor += 1 + Int(length)
            case 0xC0:
                guard let low = self.message.getInteger(at: cursor + 1, as: UInt8.self) else {
                    throw DNSWireError(.truncated, at: cursor)
                }
                let target = Int(length & 0x3F) << 8 | Int(low)
                guard target < runStart else { throw DNSWireError(.badPointer, at: cursor) }
                if resumeAt == nil {
                    resumeAt = cursor + 2
                }
                runStart = target
                cursor = target
            default:
                throw DNSWireError(.badLabelType, at: cursor)
            }
        }
    }

    /// Reads a name that must end exactly at `end` (a name inside RDATA).
    mutating func readName(endingBy end: Int) throws(DNSWireError) -> DomainName {
        let start = self.position
        let name = try self.readName()
        guard self.position <= end else { throw DNSWireError(.badRecordData, at: start) }
        return name
    }
}
