import NIOCore

/// Writes names into one message, replacing any suffix already written by a pointer to it
/// (RFC 1035 §4.1.4). Suffixes compare without regard to ASCII case, so a later name takes the
/// spelling of the earlier occurrence; offsets of 0x4000 or more cannot be pointed at and are
/// not remembered.
struct NameCompressor {
    /// The buffer index of the message's first octet: offsets are relative to it.
    let messageStart: Int
    private var offsets: [DomainName: Int] = [:]

    init(messageStart: Int) {
        self.messageStart = messageStart
    }

    mutating func write(_ name: DomainName, to buffer: inout ByteBuffer, compress: Bool = true) {
        let labels = name.labels
        for index in labels.indices {
            let suffix = DomainName(uncheckedLabels: Array(labels[index...]))
            if compress, let offset = self.offsets[suffix] {
                buffer.writeInteger(UInt16(0xC000 | offset))
                return
            }
            let offset = buffer.writerIndex - self.messageStart
            if offset < 0x4000 {
                self.offsets[suffix] = offset
            }
            buffer.writeInteger(UInt8(labels[index].count))
            buffer.writeBytes(labels[index])
        }
        buffer.writeInteger(UInt8(0))
    }
}
