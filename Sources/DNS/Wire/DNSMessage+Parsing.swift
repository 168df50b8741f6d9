import NIOCore

extension DNSMessage {
    /// Parses one whole message: the readable octets of `bytes`, no more and no less.
    ///
    /// Strict where a lenient reading could hide an attack or a bug: the counts must match the
    /// entries present, no octets may follow the last record, every record's data must fill
    /// exactly its RDLENGTH, and at most one OPT record may appear (in the additional section,
    /// at the root). Never traps, whatever the input.
    /// - Throws: ``DNSWireError`` with the offset of the first problem.
    public init(parsing bytes: ByteBuffer) throws(DNSWireError) {
        var reader = WireReader(bytes)
        guard let header = DNSMessageHeader(peeking: bytes) else {
            throw DNSWireError(.truncated, at: 0)
        }
        try reader.skip(DNSMessage.headerLength)

        // Every question needs at least 5 octets and every record 11: refuse impossible counts
        // before allocating anything for them.
        let recordCount = Int(header.answerCount) + Int(header.authorityCount) + Int(header.additionalCount)
        guard Int(header.questionCount) * 5 + recordCount * 11 <= reader.remaining else {
            throw DNSWireError(.truncated, at: DNSMessage.headerLength)
        }

        var questions: [Question] = []
        for _ in 0..<header.questionCount {
            let name = try reader.readName()
            let type = RecordType(rawValue: try reader.readUInt16())
            let recordClass = RecordClass(rawValue: try reader.readUInt16())
            questions.append(Question(name: name, type: type, recordClass: recordClass))
        }

        var answers: [ResourceRecord] = []
        for _ in 0..<header.answerCount {
            answers.append(try Self.readPlainRecord(&reader))
        }
        var authority: [ResourceRecord] = []
        for _ in 0..<header.authorityCount {
            authority.append(try Self.readPlainRecord(&reader))
        }
        var additional: [ResourceRecord] = []
        var opt: ParsedOPT? = nil
        for _ in 0..<header.additionalCount {
            let start = reader.position
            switch try Self.readRecord(&reader, inAdditional: true) {
            case .record(let record):
                additional.append(record)
            case .opt(let parsed):
                guard opt == nil else { throw DNSWireError(.badOPT, at: start) }
                opt = parsed
            }
        }
        guard reader.remaining == 0 else { throw DNSWireError(.trailingData, at: reader.position) }

        self.init(
            id: header.id,
            isResponse: header.isResponse,
            opcode: header.opcode,
            isAuthoritativeAnswer: header.has(DNSMessageHeader.authoritativeBit),
            isTruncated: header.has(DNSMessageHeader.truncatedBit),
            recursionDesired: header.has(DNSMessageHeader.recursionDesiredBit),
            recursionAvailable: header.has(DNSMessageHeader.recursionAvailableBit),
            authenticData: header.has(DNSMessageHeader.authenticDataBit),
            checkingDisabled: header.has(DNSMessageHeader.checkingDisabledBit),
            responseCode: ResponseCode(rawValue: UInt16(opt?.extendedResponseCode ?? 0) << 4 | header.responseCode),
            questions: questions,
            answers: answers,
            authority: authority,
            additional: additional,
            edns: opt?.edns
        )
    }

    private struct ParsedOPT {
        var edns: EDNS
        var extendedResponseCode: UInt8
    }

    private enum ParsedRecord {
        case record(ResourceRecord)
        case opt(ParsedOPT)
    }

    /// Reads a record of the answer or authority section, where OPT may not appear.
    private static func readPlainRecord(_ reader: inout WireReader) throws(DNSWireError) -> ResourceRecord {
        let start = reader.position
        guard case .record(let record) = try Self.readRecord(&reader, inAdditional: false) else {
            throw DNSWireError(.badOPT, at: start)
        }
        return record
    }

    /// Reads one resource record (RFC 1035 §4.1.3).
    private static func readRecord(_ reader: inout WireReader, inAdditional: Bool) throws(DNSWireError) -> ParsedRecord {
        let start = reader.position
        let name = try reader.readName()
        let type = RecordType(rawValue: try reader.readUInt16())
        let classField = try reader.readUInt16()
        let ttl = try reader.readUInt32()
        let dataLength = Int(try reader.readUInt16())
        let dataStart = reader.position
        guard dataLength <= reader.remaining else { throw DNSWireError(.truncated, at: dataStart) }
        let dataEnd = dataStart + dataLength

        if type == .opt {
            guard inAdditional, name.isRoot else { throw DNSWireError(.badOPT, at: start) }
            let edns = try Self.readOPT(&reader, payloadSize: classField, ttl: ttl, end: dataEnd)
            return .opt(ParsedOPT(edns: edns, extendedResponseCode: UInt8(ttl >> 24)))
        }

        let data: RecordData
        switch type {
        case .a, .aaaa:
            guard dataLength == (type == .a ? 4 : 16) else { throw DNSWireError(.badRecordData, at: dataStart) }
            let bytes = try reader.readBytes(dataLength)
            data = type == .a ? .a(bytes) : .aaaa(bytes)
        case .ns, .cname:
            let target = try reader.readName(endingBy: dataEnd)
            data = type == .ns ? .ns(target) : .cname(target)
        case .soa:
            let primary = try reader.readName(endingBy: dataEnd)
            let mailbox = try reader.readName(endingBy: dataEnd)
            guard dataEnd - reader.position == 20 else { throw DNSWireError(.badRecordData, at: dataStart) }
            data = .soa(
                StartOfAuthority(
                    primaryServer: primary, responsibleMailbox: mailbox, serial: try reader.readUInt32(),
                    refresh: try reader.readUInt32(), retry: try reader.readUInt32(),
                    expire: try reader.readUInt32(), minimum: try reader.readUInt32()
                )
            )
        case .txt:
            // RFC 1035 §3.3.14: one or more <character-string>s, each a length octet and that
            // many octets, filling RDATA exactly.
            guard dataLength > 0 else { throw DNSWireError(.badRecordData, at: dataStart) }
            var strings: [[UInt8]] = []
            while reader.position < dataEnd {
                let count = Int(try reader.readUInt8())
                guard reader.position + count <= dataEnd else { throw DNSWireError(.badRecordData, at: reader.position - 1) }
                strings.append(try reader.readBytes(count))
            }
            data = .txt(strings)
        default:
            data = .unknown(type: type, bytes: try reader.readBytes(dataLength))
        }
        guard reader.position == dataEnd else { throw DNSWireError(.badRecordData, at: dataStart) }
        return .record(ResourceRecord(name: name, recordClass: RecordClass(rawValue: classField), ttl: ttl, data: data))
    }

    /// Reads the OPT record's fields (RFC 6891 §6.1.2, §6.1.3): CLASS is the UDP payload size;
    /// TTL holds the extended RCODE (8 bits), VERSION (8), DO (1) and Z (15); RDATA is a list of
    /// {OPTION-CODE, OPTION-LENGTH, OPTION-DATA}.
    private static func readOPT(_ reader: inout WireReader, payloadSize: UInt16, ttl: UInt32, end: Int) throws(DNSWireError) -> EDNS {
        var options: [EDNS.Option] = []
        while reader.position < end {
            let optionStart = reader.position
            guard end - optionStart >= 4 else { throw DNSWireError(.badOPT, at: optionStart) }
            let code = try reader.readUInt16()
            let length = Int(try reader.readUInt16())
            guard reader.position + length <= end else { throw DNSWireError(.badOPT, at: optionStart) }
            options.append(EDNS.Option(code: code, data: try reader.readBytes(length)))
        }
        return EDNS(
            udpPayloadSize: payloadSize,
            version: UInt8(truncatingIfNeeded: ttl >> 16),
            dnssecOK: ttl & 0x8000 != 0,
            options: options
        )
    }
}
