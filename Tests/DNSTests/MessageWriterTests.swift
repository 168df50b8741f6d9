import NIOCore
import Testing

@testable import DNS

@Suite struct MessageWriterTests {
    private func bytes(_ message: DNSMessage, maximumLength: Int = DNSMessage.maximumLength) -> [UInt8] {
        Array(message.serialized(maximumLength: maximumLength).readableBytesView)
    }

    @Test func compressesOwnerNamesAndRecordDataAgainstTheQuestion() throws {
        let owner = try name("_acme-challenge.Example.com")
        let message = DNSMessage(
            id: 7, isResponse: true, isAuthoritativeAnswer: true,
            questions: [Question(name: owner, type: .txt)],
            answers: [
                ResourceRecord(name: owner, ttl: 10, data: .txt(value: "one")),
                ResourceRecord(name: try name("_ACME-CHALLENGE.example.COM"), ttl: 10, data: .txt(value: "two")),
            ],
            authority: [ResourceRecord(name: owner, ttl: 10, data: .ns(try name("ns.example.com")))]
        )
        let questionName = wireName("_acme-challenge", "Example", "com")  // offset 12, "Example" at 28
        let expected =
            header(id: 7, flags: 0x8400, qd: 1, an: 2, ns: 1) + questionName + uint16(16) + uint16(1)
            + [0xC0, 12] + uint16(16) + uint16(1) + uint32(10) + uint16(4) + [3] + Array("one".utf8)
            + [0xC0, 12] + uint16(16) + uint16(1) + uint32(10) + uint16(4) + [3] + Array("two".utf8)
            + [0xC0, 12] + uint16(2) + uint16(1) + uint32(10) + uint16(5) + [2] + Array("ns".utf8) + [0xC0, 28]
        #expect(self.bytes(message) == expected)
        // The second answer takes the question's spelling; equal names either way.
        let parsed = try DNSMessage(parsing: message.serialized())
        #expect(parsed == message)
        #expect(parsed.answers[1].name.description == "_acme-challenge.Example.com.")
    }

    @Test func roundTripsEveryRecordType() throws {
        let zone = try name("_acme-challenge.example.com")
        let soa = StartOfAuthority(
            primaryServer: try name("ns.gatehouse.test"), responsibleMailbox: try name("hostmaster.gatehouse.test"),
            serial: 42, refresh: 3600, retry: 600, expire: 86_400, minimum: 10
        )
        let message = DNSMessage(
            id: 0xFFFF, isResponse: true, opcode: .query, isAuthoritativeAnswer: true, isTruncated: false,
            recursionDesired: true, recursionAvailable: true, authenticData: true, checkingDisabled: true,
            responseCode: .nameError,
            questions: [Question(name: zone, type: .any, recordClass: .any)],
            answers: [
                ResourceRecord(name: zone, ttl: 1, data: .a([192, 0, 2, 1])),
                ResourceRecord(name: zone, ttl: 2, data: .aaaa(Array(repeating: 0x20, count: 16))),
                ResourceRecord(name: zone, ttl: 3, data: .cname(try name("target.example.net"))),
                ResourceRecord(name: zone, ttl: 4, data: .txt([Array("a".utf8), [], Array("c".utf8)])),
                ResourceRecord(name: zone, recordClass: .chaos, ttl: 5, data: .unknown(type: RecordType(rawValue: 99), bytes: [1, 2, 3])),
            ],
            authority: [ResourceRecord(name: zone, ttl: 6, data: .soa(soa))],
            additional: [ResourceRecord(name: try name("ns.gatehouse.test"), ttl: 7, data: .a([127, 0, 0, 1]))],
            edns: EDNS(udpPayloadSize: 1232, version: 0, dnssecOK: true, options: [EDNS.Option(code: 12, data: [0, 0])])
        )
        #expect(try DNSMessage(parsing: message.serialized()) == message)
    }

    @Test func splitsLongTXTValuesIntoCharacterStrings() throws {
        let value = String(repeating: "v", count: 300)
        let record = ResourceRecord(name: try name("x.test"), ttl: 1, data: .txt(value: value))
        guard case .txt(let strings) = record.data else {
            Issue.record("not TXT data")
            return
        }
        #expect(strings.map(\.count) == [255, 45])
        let message = DNSMessage(id: 1, isResponse: true, answers: [record])
        let parsed = try DNSMessage(parsing: message.serialized())
        #expect(parsed.answers.first?.data.text == value)
        // Strings longer than 255 given directly are split on write too.
        let raw = DNSMessage(id: 1, isResponse: true, answers: [ResourceRecord(name: try name("x.test"), ttl: 1, data: .txt([Array(repeating: 0x61, count: 256)]))])
        #expect(try DNSMessage(parsing: raw.serialized()).answers.first?.data == .txt([Array(repeating: 0x61, count: 255), [0x61]]))
    }

    @Test func truncatesToTheLimitKeepingQuestionAndOPT() throws {
        let owner = try name("_acme-challenge.example.com")
        let answers = (0..<40).map { ResourceRecord(name: owner, ttl: 10, data: .txt(value: "value-\($0)-" + String(repeating: "x", count: 40))) }
        let message = DNSMessage(
            id: 9, isResponse: true, isAuthoritativeAnswer: true, questions: [Question(name: owner, type: .txt)],
            answers: answers, edns: EDNS(udpPayloadSize: 1232)
        )
        let whole = message.serialized()
        #expect(whole.readableBytes > 1232)
        #expect(try DNSMessage(parsing: whole).answers.count == 40)

        var limited = ByteBuffer()
        #expect(message.write(to: &limited, maximumLength: 1232))
        #expect(limited.readableBytes <= 1232)
        let parsed = try DNSMessage(parsing: limited)
        #expect(parsed.isTruncated)
        #expect(parsed.isAuthoritativeAnswer)
        #expect(parsed.answers.isEmpty)
        #expect(parsed.questions == message.questions)
        #expect(parsed.edns == EDNS(udpPayloadSize: 1232))

        var roomy = ByteBuffer()
        #expect(!message.write(to: &roomy, maximumLength: whole.readableBytes))
    }

    @Test func extendedResponseCodeBringsAnOPTRecord() throws {
        let message = DNSMessage(id: 3, isResponse: true, responseCode: .badVersion)
        let written = self.bytes(message)
        // Header RCODE holds the low 4 bits (0); the OPT TTL's top octet the upper 8 (1).
        #expect(written[3] & 0x0F == 0)
        let opt: [UInt8] = [0] + uint16(41) + uint16(512) + uint32(0x0100_0000) + uint16(0)
        #expect(Array(written.suffix(11)) == opt)
        #expect(try DNSMessage(parsing: buffer(written)).responseCode == .badVersion)
    }

    @Test func writesAfterExistingBytes() throws {
        // Compression offsets are relative to the message, not to the buffer.
        let owner = try name("a.example")
        let message = DNSMessage(id: 1, isResponse: true, questions: [Question(name: owner, type: .txt)], answers: [ResourceRecord(name: owner, ttl: 1, data: .txt(value: "x"))])
        var framed = ByteBuffer(bytes: [0xAA, 0xBB])
        message.write(to: &framed)
        framed.moveReaderIndex(forwardBy: 2)
        #expect(try DNSMessage(parsing: framed) == message)
    }
}
