import NIOCore
import Testing

@testable import DNS

@Suite struct ResponderTests {
    let records = DNSChallengeRecords()
    let responder: DNSResponder

    init() throws {
        let configuration = DNSServer.Configuration(
            nameServer: try name("ns.gatehouse.test"), ttl: 10, zones: [try name("acme.example.net")]
        )
        self.responder = DNSResponder(records: self.records, configuration: configuration, logger: testLogger)
    }

    private func ask(_ text: String, _ type: RecordType = .txt, edns: EDNS? = nil) throws -> DNSMessage {
        self.responder.answer(DNSMessage(id: 77, recursionDesired: true, questions: [Question(name: try name(text), type: type)], edns: edns))
    }

    private func soaOwner(_ response: DNSMessage) -> DomainName? {
        guard response.authority.count == 1, case .soa = response.authority[0].data else { return nil }
        return response.authority[0].name
    }

    @Test func answersAllValuesAuthoritatively() throws {
        self.records.add("apex", for: try name("_acme-challenge.example.com"))
        self.records.add("wildcard", for: try name("_acme-challenge.example.com"))
        let response = try self.ask("_acme-challenge.example.com")
        #expect(response.id == 77)
        #expect(response.isResponse)
        #expect(response.isAuthoritativeAnswer)
        #expect(response.recursionDesired)
        #expect(!response.recursionAvailable)
        #expect(response.responseCode == .noError)
        #expect(response.answers.compactMap(\.data.text) == ["apex", "wildcard"])
        #expect(response.answers.allSatisfy { $0.ttl == 10 && $0.type == .txt })
        #expect(response.authority.isEmpty)
    }

    @Test func echoesTheQuestionsSpelling() throws {
        self.records.add("v", for: try name("_acme-challenge.example.com"))
        let response = try self.ask("_ACME-Challenge.EXAMPLE.com")
        #expect(response.answers.count == 1)
        #expect(response.questions.first?.name.description == "_ACME-Challenge.EXAMPLE.com.")
        #expect(response.answers.first?.name.description == "_ACME-Challenge.EXAMPLE.com.")
    }

    @Test func apexWithoutValuesIsNoData() throws {
        let response = try self.ask("_acme-challenge.example.com")
        #expect(response.responseCode == .noError)
        #expect(response.isAuthoritativeAnswer)
        #expect(response.answers.isEmpty)
        #expect(self.soaOwner(response) == (try name("_acme-challenge.example.com")))
        guard case .soa(let soa) = response.authority.first?.data else {
            Issue.record("no SOA")
            return
        }
        #expect(soa.primaryServer == (try name("ns.gatehouse.test")))
        #expect(soa.responsibleMailbox == (try name("hostmaster.ns.gatehouse.test")))
        #expect(soa.minimum == 10)
        #expect(response.authority.first?.ttl == 10)
    }

    @Test func otherTypesAtANameWithValuesAreNoData() throws {
        self.records.add("v", for: try name("_acme-challenge.example.com"))
        for type in [RecordType.a, .aaaa, .mx, RecordType(rawValue: 65)] {
            let response = try self.ask("_acme-challenge.example.com", type)
            #expect(response.responseCode == .noError)
            #expect(response.answers.isEmpty)
            #expect(self.soaOwner(response) == (try name("_acme-challenge.example.com")))
        }
    }

    @Test func namesBelowTheApexAreNXDomain() throws {
        let response = try self.ask("other._acme-challenge.example.com")
        #expect(response.responseCode == .nameError)
        #expect(response.isAuthoritativeAnswer)
        #expect(self.soaOwner(response) == (try name("_acme-challenge.example.com")))
    }

    @Test func answersSOAAndNSAtTheApex() throws {
        let soa = try self.ask("_acme-challenge.example.com", .soa)
        #expect(soa.answers.map(\.type) == [.soa])
        #expect(soa.authority.isEmpty)
        let ns = try self.ask("_acme-challenge.example.com", .ns)
        #expect(ns.answers.map(\.data) == [.ns(try name("ns.gatehouse.test"))])
        let any = try self.ask("_acme-challenge.example.com", .any)
        #expect(Set(any.answers.map(\.type)) == [.soa, .ns])
        // Not below the apex.
        self.records.add("v", for: try name("x._acme-challenge.example.com"))
        let below = try self.ask("x._acme-challenge.example.com", .ns)
        #expect(below.answers.isEmpty)
        #expect(self.soaOwner(below) == (try name("_acme-challenge.example.com")))
    }

    @Test func refusesNamesOutsideEveryZone() throws {
        for text in ["example.com", "www.example.com", "acme.example.org", "."] {
            let response = try self.ask(text)
            #expect(response.responseCode == .refused, "\(text)")
            #expect(!response.isAuthoritativeAnswer)
            #expect(response.answers.isEmpty && response.authority.isEmpty)
        }
    }

    @Test func servesConfiguredZonesWithEmptyNonTerminals() throws {
        self.records.add("delegated", for: try name("abc.def.acme.example.net"))
        let hit = try self.ask("ABC.def.acme.example.net")
        #expect(hit.answers.compactMap(\.data.text) == ["delegated"])
        // def.acme.example.net has no records but a name below it does: NODATA, not NXDOMAIN.
        let between = try self.ask("def.acme.example.net")
        #expect(between.responseCode == .noError)
        #expect(self.soaOwner(between) == (try name("acme.example.net")))
        let missing = try self.ask("zzz.acme.example.net")
        #expect(missing.responseCode == .nameError)
        let apex = try self.ask("acme.example.net", .ns)
        #expect(apex.answers.map(\.type) == [.ns])
    }

    @Test func servesRecordNamesOutsideZones() throws {
        self.records.add("cname-target", for: try name("token.example.org"))
        #expect(try self.ask("token.example.org").answers.compactMap(\.data.text) == ["cname-target"])
        #expect(try self.ask("below.token.example.org").responseCode == .nameError)
        #expect(try self.ask("example.org").responseCode == .refused)
    }

    @Test func removedValueIsGone() throws {
        let zone = try name("_acme-challenge.example.com")
        self.records.add("a", for: zone)
        self.records.add("b", for: zone)
        self.records.remove("a", for: zone)
        #expect(try self.ask("_acme-challenge.example.com").answers.compactMap(\.data.text) == ["b"])
    }

    @Test func protocolEdges() throws {
        let zone = try name("_acme-challenge.example.com")
        let notify = self.responder.answer(DNSMessage(id: 1, opcode: .notify, questions: [Question(name: zone, type: .soa)]))
        #expect(notify.responseCode == .notImplemented)
        let twoQuestions = self.responder.answer(DNSMessage(id: 1, questions: [Question(name: zone, type: .txt), Question(name: zone, type: .a)]))
        #expect(twoQuestions.responseCode == .formatError)
        let noQuestion = self.responder.answer(DNSMessage(id: 1))
        #expect(noQuestion.responseCode == .formatError)
        let badVersion = try self.ask("_acme-challenge.example.com", edns: EDNS(udpPayloadSize: 4096, version: 1))
        #expect(badVersion.responseCode == .badVersion)
        #expect(badVersion.edns?.version == 0)
        let chaos = self.responder.answer(DNSMessage(id: 1, questions: [Question(name: zone, type: .txt, recordClass: .chaos)]))
        #expect(chaos.responseCode == .refused)
        let transfer = try self.ask("_acme-challenge.example.com", .axfr)
        #expect(transfer.responseCode == .refused)
        let withEDNS = try self.ask("_acme-challenge.example.com", edns: EDNS(udpPayloadSize: 4096))
        #expect(withEDNS.edns == EDNS(udpPayloadSize: 1232))
        #expect(try self.ask("_acme-challenge.example.com").edns == nil)
    }

    @Test func udpLimitFollowsTheClient() throws {
        let question = [Question(name: try name("x.test"), type: .txt)]
        #expect(self.responder.udpLimit(for: DNSMessage(id: 1, questions: question)) == 512)
        #expect(self.responder.udpLimit(for: DNSMessage(id: 1, questions: question, edns: EDNS(udpPayloadSize: 100))) == 512)
        #expect(self.responder.udpLimit(for: DNSMessage(id: 1, questions: question, edns: EDNS(udpPayloadSize: 900))) == 900)
        #expect(self.responder.udpLimit(for: DNSMessage(id: 1, questions: question, edns: EDNS(udpPayloadSize: 65000))) == 1232)
    }

    @Test func octetsInOctetsOut() throws {
        let allocator = ByteBufferAllocator()
        // Too short for a header: dropped.
        #expect(self.responder.respond(to: buffer([1, 2, 3]), over: .udp, from: nil, allocator: allocator) == nil)
        // A response: dropped, so two servers cannot bounce messages forever.
        #expect(self.responder.respond(to: buffer(header(flags: 0x8000, qd: 0)), over: .udp, from: nil, allocator: allocator) == nil)
        // A readable header with garbage after it: FORMERR under the same ID, RD copied.
        let formerr = self.responder.respond(to: buffer(header(id: 0x4242, flags: 0x0100) + [0xFF, 0xFF]), over: .udp, from: nil, allocator: allocator)
        let parsed = try DNSMessage(parsing: try #require(formerr))
        #expect(parsed.id == 0x4242)
        #expect(parsed.isResponse)
        #expect(parsed.recursionDesired)
        #expect(parsed.responseCode == .formatError)
        #expect(parsed.questions.isEmpty)
        // Over TCP the response carries its length.
        let query = DNSMessage(id: 5, questions: [Question(name: try name("_acme-challenge.example.com"), type: .txt)])
        var framed = try #require(self.responder.respond(to: query.serialized(), over: .tcp, from: nil, allocator: allocator))
        let length = framed.readInteger(as: UInt16.self)
        #expect(length.map(Int.init) == framed.readableBytes)
        #expect(try DNSMessage(parsing: framed).id == 5)
    }

    @Test func truncatesLargeAnswersOverUDPOnly() throws {
        let zone = try name("_acme-challenge.example.com")
        for index in 0..<40 {
            self.records.add("value-\(index)-" + String(repeating: "x", count: 40), for: zone)
        }
        let allocator = ByteBufferAllocator()
        let query = DNSMessage(id: 5, questions: [Question(name: zone, type: .txt)], edns: EDNS(udpPayloadSize: 1232))
        let udp = try #require(self.responder.respond(to: query.serialized(), over: .udp, from: nil, allocator: allocator))
        #expect(udp.readableBytes <= 1232)
        let truncated = try DNSMessage(parsing: udp)
        #expect(truncated.isTruncated)
        #expect(truncated.answers.isEmpty)
        var tcp = try #require(self.responder.respond(to: query.serialized(), over: .tcp, from: nil, allocator: allocator))
        tcp.moveReaderIndex(forwardBy: 2)
        let complete = try DNSMessage(parsing: tcp)
        #expect(!complete.isTruncated)
        #expect(complete.answers.count == 40)
    }
}
