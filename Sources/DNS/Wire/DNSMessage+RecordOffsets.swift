import NIOCore

extension DNSMessage {
    /// Where the last resource record of the message in `bytes` starts, relative to the reader
    /// index; `nil` when the message has no records or cannot be walked.
    ///
    /// A TSIG record is the last record of a signed message, and its MAC covers the octets
    /// before it (RFC 8945 §5.3.2), so a verifier needs this offset.
    public static func offsetOfLastRecord(in bytes: ByteBuffer) -> Int? {
        guard let header = DNSMessageHeader(peeking: bytes) else { return nil }
        var reader = WireReader(bytes)
        do {
            try reader.skip(DNSMessage.headerLength)
            for _ in 0..<header.questionCount {
                _ = try reader.readName()
                try reader.skip(4)
            }
            let records = Int(header.answerCount) + Int(header.authorityCount) + Int(header.additionalCount)
            var last: Int? = nil
            for _ in 0..<records {
                last = reader.position
                _ = try reader.readName()
                try reader.skip(8)
                let length = Int(try reader.readUInt16())
                try reader.skip(length)
            }
            return last
        } catch {
            return nil
        }
    }
}
