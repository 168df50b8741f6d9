import NIOCore

extension DNSMessage {
    /// The largest message a TCP frame can carry (RFC 1035 §4.2.2: a 2-octet length prefix).
    public static let maximumLength = 65_535

    /// Appends the message in wire form to `buffer`, compressing names.
    ///
    /// When the whole message would be longer than `maximumLength` octets, what is written
    /// instead is the header with TC set, the question and the OPT record, and no other records:
    /// RFC 2181 §9 lets a truncated response omit records, and clients that see TC ask again over
    /// TCP rather than use a partial answer. The OPT record stays, as RFC 6891 §7 asks.
    ///
    /// A response code above 15 needs an OPT record to carry its upper bits; when ``edns`` is
    /// `nil` one is added with a payload size of 512.
    /// - Returns: true when the message was truncated.
    @discardableResult
    public func write(to buffer: inout ByteBuffer, maximumLength: Int = DNSMessage.maximumLength) -> Bool {
        let start = buffer.writerIndex
        if self.writeWhole(to: &buffer), buffer.writerIndex - start <= min(maximumLength, Self.maximumLength) {
            return false
        }
        buffer.moveWriterIndex(to: start)
        var truncated = self
        truncated.isTruncated = true
        truncated.questions = Array(self.questions.prefix(Int(UInt16.max)))
        truncated.answers = []
        truncated.authority = []
        truncated.additional = []
        _ = truncated.writeWhole(to: &buffer)
        return true
    }

    /// The message in wire form in a new buffer; see ``write(to:maximumLength:)``.
    public func serialized(maximumLength: Int = DNSMessage.maximumLength, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 512)
        self.write(to: &buffer, maximumLength: maximumLength)
        return buffer
    }

    /// Writes everything; false when a count or a record's data does not fit its 16-bit field.
    private func writeWhole(to buffer: inout ByteBuffer) -> Bool {
        let start = buffer.writerIndex
        let hasOPT = self.edns != nil || self.responseCode.rawValue > 0x0F
        let additionalCount = self.additional.count + (hasOPT ? 1 : 0)
        let counts = [self.questions.count, self.answers.count, self.authority.count, additionalCount]
        guard counts.allSatisfy({ $0 <= Int(UInt16.max) }) else { return false }

        var flags = UInt16(self.opcode.rawValue) << 11 | (self.responseCode.rawValue & 0x0F)
        if self.isResponse { flags |= DNSMessageHeader.responseBit }
        if self.isAuthoritativeAnswer { flags |= DNSMessageHeader.authoritativeBit }
        if self.isTruncated { flags |= DNSMessageHeader.truncatedBit }
        if self.recursionDesired { flags |= DNSMessageHeader.recursionDesiredBit }
        if self.recursionAvailable { flags |= DNSMessageHeader.recursionAvailableBit }
        if self.authenticData { flags |= DNSMessageHeader.authenticDataBit }
        if self.checkingDisabled { flags |= DNSMessageHeader.checkingDisabledBit }
        buffer.writeInteger(self.id)
        buffer.writeInteger(flags)
        for count in counts {
            buffer.writeInteger(UInt16(count))
        }

        var compressor = NameCompressor(messageStart: start)
        for question in self.questions {
            compressor.write(question.name, to: &buffer)
            buffer.writeInteger(question.type.rawValue)
            buffer.writeInteger(question.recordClass.rawValue)
        }
        for record in self.answers + self.authority + self.additional {
            guard Self.write(record, to: &buffer, compressor: &compressor) else { return false }
        }
        if hasOPT {
            self.writeOPT(to: &buffer)
        }
        return true
    }

    /// RFC 1035 §4.1.3 layout; false when the data is longer than RDLENGTH can say.
    private static func write(_ record: ResourceRecord, to buffer: inout ByteBuffer, compressor: inout NameCompressor) -> Bool {
        compressor.write(record.name, to: &buffer)
        buffer.writeInteger(record.type.rawValue)
        buffer.writeInteger(record.recordClass.rawValue)
        buffer.writeInteger(record.ttl)
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt16(0))
        switch record.data {
        case .a(let bytes), .aaaa(let bytes):
            buffer.writeBytes(bytes)
        case .ns(let name), .cname(let name):
            // NS and CNAME are among the types whose RDATA names may be compressed (RFC 3597 §4).
            compressor.write(name, to: &buffer)
        case .soa(let soa):
            compressor.write(soa.primaryServer, to: &buffer)
            compressor.write(soa.responsibleMailbox, to: &buffer)
            buffer.writeInteger(soa.serial)
            buffer.writeInteger(soa.refresh)
            buffer.writeInteger(soa.retry)
            buffer.writeInteger(soa.expire)
            buffer.writeInteger(soa.minimum)
        case .txt(let strings):
            for string in strings {
                // A character-string holds at most 255 octets; longer input is split.
                var rest = string[...]
                repeat {
                    let chunk = rest.prefix(255)
                    buffer.writeInteger(UInt8(chunk.count))
                    buffer.writeBytes(chunk)
                    rest = rest.dropFirst(chunk.count)
                } while !rest.isEmpty
            }
        case .unknown(_, let bytes):
            buffer.writeBytes(bytes)
        }
        let dataLength = buffer.writerIndex - lengthIndex - 2
        guard dataLength <= Int(UInt16.max) else { return false }
        buffer.setInteger(UInt16(dataLength), at: lengthIndex)
        return true
    }

    /// RFC 6891 §6.1.2: root owner, TYPE 41, CLASS the payload size, TTL the extended RCODE,
    /// version and DO bit, RDATA the options.
    private func writeOPT(to buffer: inout ByteBuffer) {
        let edns = self.edns ?? EDNS(udpPayloadSize: UInt16(Self.classicUDPLimit))
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(RecordType.opt.rawValue)
        buffer.writeInteger(edns.udpPayloadSize)
        let extended = UInt32(self.responseCode.rawValue >> 4) << 24
        buffer.writeInteger(extended | UInt32(edns.version) << 16 | (edns.dnssecOK ? 0x8000 : 0))
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt16(0))
        for option in edns.options {
            buffer.writeInteger(option.code)
            buffer.writeInteger(UInt16(truncatingIfNeeded: option.data.count))
            buffer.writeBytes(option.data.prefix(Int(UInt16.max)))
        }
        buffer.setInteger(UInt16(truncatingIfNeeded: buffer.writerIndex - lengthIndex - 2), at: lengthIndex)
    }
}
