import NIOCore
import Testing

@testable import DNS

/// One parser input and what must come of it.
struct ParserCase: CustomStringConvertible, Sendable {
    var label: String
    var bytes: [UInt8]
    /// `nil` when the input must parse.
    var error: DNSWireError.Reason?
    var offset: Int? = nil

    var description: String { self.label }
}

private let question = wireName("example", "com") + uint16(16) + uint16(1)  // offsets 12…28: TXT IN
private let txtRecord = [0xC0, 0x0C] + uint16(16) + uint16(1) + uint32(60) + uint16(4) + [3] + Array("abc".utf8)
private let optRecord: [UInt8] = [0] + uint16(41) + uint16(1232) + uint32(0) + uint16(0)

let parserCases: [ParserCase] = [
    ParserCase(label: "query", bytes: header() + question, error: nil),
    ParserCase(label: "answer named by a pointer to the question", bytes: header(flags: 0x8400, an: 1) + question + txtRecord, error: nil),
    ParserCase(
        label: "label followed by a pointer",
        bytes: header(flags: 0x8400, an: 1) + question + [3] + Array("www".utf8) + [0xC0, 0x0C] + uint16(1) + uint16(1) + uint32(5) + uint16(4) + [192, 0, 2, 1],
        error: nil
    ),
    ParserCase(
        label: "pointer to a pointer",
        // Second answer's owner points at the first answer's owner (offset 29), itself a pointer.
        bytes: header(flags: 0x8400, an: 2) + question + txtRecord + [0xC0, 29] + uint16(16) + uint16(1) + uint32(60) + uint16(2) + [1, 0x78],
        error: nil
    ),
    ParserCase(label: "query with OPT", bytes: header(ar: 1) + question + optRecord, error: nil),

    ParserCase(label: "empty", bytes: [], error: .truncated, offset: 0),
    ParserCase(label: "header cut short", bytes: Array(header().prefix(11)), error: .truncated, offset: 0),
    ParserCase(label: "question count without a question", bytes: header(qd: 1), error: .truncated),
    ParserCase(label: "two questions announced, one present", bytes: header(qd: 2) + question, error: .truncated),
    ParserCase(label: "answer announced, none present", bytes: header(an: 1) + question, error: .truncated),
    ParserCase(label: "huge counts", bytes: header(qd: 0xFFFF, an: 0xFFFF, ns: 0xFFFF, ar: 0xFFFF) + question, error: .truncated),
    ParserCase(label: "name cut inside a label", bytes: header() + [7] + Array("exam".utf8), error: .truncated),
    ParserCase(label: "name without its root label", bytes: header() + [7] + Array("example".utf8), error: .truncated),
    ParserCase(label: "question without type and class", bytes: header() + wireName("example", "com"), error: .truncated),
    ParserCase(label: "pointer cut in half", bytes: header() + [0xC0], error: .truncated),
    ParserCase(label: "pointer to itself", bytes: header() + [0xC0, 12] + uint16(16) + uint16(1), error: .badPointer, offset: 12),
    ParserCase(
        label: "pointer forward",
        bytes: header() + [0xC0, 18] + uint16(16) + uint16(1) + wireName("x"),
        error: .badPointer, offset: 12
    ),
    ParserCase(
        label: "pointer into its own name (loop)",
        bytes: header() + [1, 0x61, 1, 0x62, 0xC0, 14] + uint16(16) + uint16(1),
        error: .badPointer, offset: 16
    ),
    ParserCase(
        label: "pointer to its name's start (loop)",
        bytes: header() + [1, 0x61, 0xC0, 12] + uint16(16) + uint16(1),
        error: .badPointer, offset: 14
    ),
    ParserCase(
        label: "question pointing forward at an answer that points back (loop)",
        // The question name at 12 ends in a pointer to the answer at 20, whose name points at 12.
        bytes: header(flags: 0x8000, an: 1) + [1, 0x61, 0xC0, 20] + uint16(16) + uint16(1) + [0xC0, 12] + uint16(16) + uint16(1) + uint32(0) + uint16(1) + [0],
        error: .badPointer, offset: 14
    ),
    ParserCase(label: "label type 01", bytes: header() + [0x41, 0x61] + uint16(16) + uint16(1), error: .badLabelType, offset: 12),
    ParserCase(label: "label type 10", bytes: header() + [0x81, 0x61] + uint16(16) + uint16(1), error: .badLabelType, offset: 12),
    ParserCase(
        label: "name over 255 octets",
        bytes: header() + Array(repeating: [63] + Array(repeating: UInt8(0x61), count: 63), count: 4).flatMap { $0 } + [0] + uint16(1) + uint16(1),
        error: .nameTooLong
    ),
    ParserCase(
        label: "name over 255 octets through pointers",
        // Four answers each add a 63-octet label in front of the previous answer's name.
        bytes: header(flags: 0x8000, qd: 0, an: 4)
            + ([63] + Array(repeating: UInt8(0x61), count: 63) + [0] + uint16(1) + uint16(1) + uint32(0) + uint16(4) + [1, 2, 3, 4])
            + ([63] + Array(repeating: UInt8(0x62), count: 63) + [0xC0, 12] + uint16(1) + uint16(1) + uint32(0) + uint16(4) + [1, 2, 3, 4])
            + ([63] + Array(repeating: UInt8(0x63), count: 63) + [0xC0, 91] + uint16(1) + uint16(1) + uint32(0) + uint16(4) + [1, 2, 3, 4])
            + ([63] + Array(repeating: UInt8(0x64), count: 63) + [0xC0, 171] + uint16(1) + uint16(1) + uint32(0) + uint16(4) + [1, 2, 3, 4]),
        error: .nameTooLong
    ),
    ParserCase(label: "trailing octets", bytes: header() + question + [0], error: .trailingData, offset: 29),
    ParserCase(
        label: "A record of 3 octets",
        bytes: header(flags: 0x8000, an: 1) + question + [0xC0, 12] + uint16(1) + uint16(1) + uint32(0) + uint16(3) + [1, 2, 3],
        error: .badRecordData
    ),
    ParserCase(
        label: "TXT string longer than its record",
        bytes: header(flags: 0x8000, an: 1) + question + [0xC0, 12] + uint16(16) + uint16(1) + uint32(0) + uint16(3) + [5, 0x61, 0x62],
        error: .badRecordData
    ),
    ParserCase(
        label: "TXT record without strings",
        bytes: header(flags: 0x8000, an: 1) + question + [0xC0, 12] + uint16(16) + uint16(1) + uint32(0) + uint16(0),
        error: .badRecordData
    ),
    ParserCase(
        label: "RDLENGTH past the end",
        bytes: header(flags: 0x8000, an: 1) + question + [0xC0, 12] + uint16(16) + uint16(1) + uint32(0) + uint16(200) + [3, 0x61, 0x62, 0x63],
        error: .truncated
    ),
    ParserCase(
        label: "NS name running past RDLENGTH",
        bytes: header(flags: 0x8000, an: 1) + question + [0xC0, 12] + uint16(2) + uint16(1) + uint32(0) + uint16(2) + wireName("ns", "x"),
        error: .badRecordData
    ),
    ParserCase(
        label: "SOA with short timers",
        bytes: header(flags: 0x8000, an: 1) + question + [0xC0, 12] + uint16(6) + uint16(1) + uint32(0) + uint16(8) + [0xC0, 12, 0xC0, 12] + uint32(1),
        error: .badRecordData
    ),
    ParserCase(label: "OPT in the answer section", bytes: header(an: 1) + question + optRecord, error: .badOPT),
    ParserCase(label: "two OPT records", bytes: header(ar: 2) + question + optRecord + optRecord, error: .badOPT),
    ParserCase(
        label: "OPT not at the root",
        bytes: header(ar: 1) + question + [0xC0, 12] + uint16(41) + uint16(1232) + uint32(0) + uint16(0),
        error: .badOPT
    ),
    ParserCase(
        label: "OPT option longer than its record",
        bytes: header(ar: 1) + question + [0] + uint16(41) + uint16(1232) + uint32(0) + uint16(6) + uint16(10) + uint16(8) + [1, 2],
        error: .badOPT
    ),
]

@Suite struct MessageParserTests {
    @Test(arguments: parserCases)
    func parserCase(_ testCase: ParserCase) throws {
        if let reason = testCase.error {
            let error = #expect(throws: DNSWireError.self) {
                try DNSMessage(parsing: buffer(testCase.bytes))
            }
            #expect(error?.reason == reason)
            if let offset = testCase.offset {
                #expect(error?.offset == offset)
            }
        } else {
            _ = try DNSMessage(parsing: buffer(testCase.bytes))
        }
    }

    @Test func readsQueryFields() throws {
        let bytes = header(id: 0xBEEF, flags: 0x0110, ar: 1) + wireName("_ACME-challenge", "Example", "com") + uint16(16) + uint16(1)
            + [0] + uint16(41) + uint16(4096) + uint32(0x0000_8000) + uint16(8) + uint16(10) + uint16(4) + [1, 2, 3, 4]
        let message = try DNSMessage(parsing: buffer(bytes))
        #expect(message.id == 0xBEEF)
        #expect(!message.isResponse)
        #expect(message.opcode == .query)
        #expect(message.recursionDesired)
        #expect(message.checkingDisabled)
        #expect(!message.isAuthoritativeAnswer)
        #expect(message.questions == [Question(name: try name("_acme-challenge.example.com"), type: .txt)])
        #expect(message.questions.first?.name.description == "_ACME-challenge.Example.com.")
        #expect(message.additional.isEmpty)
        #expect(message.edns == EDNS(udpPayloadSize: 4096, version: 0, dnssecOK: true, options: [EDNS.Option(code: 10, data: [1, 2, 3, 4])]))
    }

    @Test func followsPointers() throws {
        let bytes = header(flags: 0x8400, an: 2) + question + txtRecord + [0xC0, 29] + uint16(16) + uint16(1) + uint32(60) + uint16(2) + [1, 0x78]
        let message = try DNSMessage(parsing: buffer(bytes))
        #expect(message.isResponse)
        #expect(message.isAuthoritativeAnswer)
        #expect(message.answers.map(\.name) == [try name("example.com"), try name("example.com")])
        #expect(message.answers.map(\.data.text) == ["abc", "x"])
        #expect(message.answers.first?.ttl == 60)
    }

    @Test func combinesExtendedResponseCode() throws {
        // BADVERS (16): header RCODE 0, OPT extended RCODE 1.
        let bytes = header(flags: 0x8000, ar: 1) + question + [0] + uint16(41) + uint16(1232) + uint32(0x0100_0000) + uint16(0)
        #expect(try DNSMessage(parsing: buffer(bytes)).responseCode == .badVersion)
    }

    @Test func parsesFromAnyReaderIndex() throws {
        var bytes = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF] + header() + question)
        bytes.moveReaderIndex(forwardBy: 3)
        let message = try DNSMessage(parsing: bytes)
        #expect(message.questions.first?.name == (try name("example.com")))
    }
}
