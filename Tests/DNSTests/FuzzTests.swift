import NIOCore
import Testing

@testable import DNS

/// Random and mutated input, from fixed seeds so a failure replays. Passing means: no trap,
/// and whatever parses writes back into something that parses to the same sections.
@Suite struct FuzzTests {
    private static func seedMessages() throws -> [[UInt8]] {
        let zone = try DomainName("_acme-challenge.example.com")
        let soa = StartOfAuthority(
            primaryServer: try DomainName("ns.example.com"), responsibleMailbox: try DomainName("hostmaster.example.com"),
            serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5
        )
        let response = DNSMessage(
            id: 1, isResponse: true, isAuthoritativeAnswer: true,
            questions: [Question(name: zone, type: .txt)],
            answers: [
                ResourceRecord(name: zone, ttl: 10, data: .txt(value: "abc")),
                ResourceRecord(name: zone, ttl: 10, data: .cname(try DomainName("x.example.com"))),
                ResourceRecord(name: zone, ttl: 10, data: .a([1, 2, 3, 4])),
            ],
            authority: [ResourceRecord(name: zone, ttl: 10, data: .soa(soa))],
            additional: [ResourceRecord(name: try DomainName("ns.example.com"), ttl: 10, data: .aaaa(Array(repeating: 1, count: 16)))],
            edns: EDNS(udpPayloadSize: 1232, options: [EDNS.Option(code: 10, data: [1, 2, 3, 4, 5, 6, 7, 8])])
        )
        let query = DNSMessage(id: 2, recursionDesired: true, questions: [Question(name: zone, type: .txt)], edns: EDNS(udpPayloadSize: 4096))
        return [Array(response.serialized().readableBytesView), Array(query.serialized().readableBytesView)]
    }

    private static func check(_ bytes: [UInt8], responder: DNSResponder) {
        if let message = try? DNSMessage(parsing: buffer(bytes)) {
            let rewritten = message.serialized()
            let reparsed = try? DNSMessage(parsing: rewritten)
            #expect(reparsed != nil, "rewritten message does not parse: \(bytes)")
            if let reparsed {
                #expect(reparsed.id == message.id)
                #expect(reparsed.questions == message.questions)
                #expect(reparsed.answers.count == message.answers.count)
                #expect(reparsed.responseCode == message.responseCode)
            }
        }
        for transport in [DNSResponder.Transport.udp, .tcp] {
            guard var reply = responder.respond(to: buffer(bytes), over: transport, from: nil, allocator: ByteBufferAllocator()) else {
                continue
            }
            if transport == .tcp {
                reply.moveReaderIndex(forwardBy: 2)
            }
            let parsed = try? DNSMessage(parsing: reply)
            #expect(parsed?.isResponse == true, "reply to \(bytes) is not a parseable response")
        }
    }

    private static func makeResponder() throws -> DNSResponder {
        let records = DNSChallengeRecords()
        records.add("abc", for: try DomainName("_acme-challenge.example.com"))
        return DNSResponder(records: records, configuration: DNSServer.Configuration(nameServer: try DomainName("ns.test")), logger: testLogger)
    }

    @Test func randomOctets() throws {
        var random = SeededGenerator(seed: 0x6761_7465_686F_7573)
        let responder = try Self.makeResponder()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...300, using: &random)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            if bytes.count >= 12, Bool.random(using: &random) {
                // Plausible headers reach deeper into the parser: small counts, QR clear.
                bytes[2] &= 0x7F
                for index in [4, 6, 8, 10] { bytes[index] = 0 }
                for index in [5, 7, 9, 11] { bytes[index] &= 0x03 }
            }
            Self.check(bytes, responder: responder)
        }
    }

    @Test func mutatedMessages() throws {
        var random = SeededGenerator(seed: 1035)
        let responder = try Self.makeResponder()
        let seeds = try Self.seedMessages()
        for seed in seeds {
            #expect((try? DNSMessage(parsing: buffer(seed))) != nil)
        }
        for _ in 0..<20_000 {
            var bytes = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                switch Int.random(in: 0..<5, using: &random) {
                case 0 where !bytes.isEmpty:
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                case 1 where !bytes.isEmpty:
                    // Compression-pointer-looking octets anywhere.
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = 0xC0 | UInt8.random(in: 0...0x3F, using: &random)
                case 2:
                    bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                case 3:
                    bytes.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
                default:
                    if bytes.count > 11 {
                        // Wrong counts.
                        bytes[5 + 2 * Int.random(in: 0..<4, using: &random)] = UInt8.random(in: 0...8, using: &random)
                    }
                }
            }
            Self.check(bytes, responder: responder)
        }
    }
}
