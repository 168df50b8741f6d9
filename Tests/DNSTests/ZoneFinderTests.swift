import NIOCore
import NIOPosix
import Testing

@testable import DNS

/// Zone discovery and authoritative propagation checks against the built-in server on loopback,
/// and against a resolver that answers SERVFAIL to everything (a split-horizon resolver that
/// cannot serve the zone).
@Suite struct ZoneFinderTests {
    private let configuration = DNSTXTLookup.Configuration(attemptTimeout: .seconds(2), attempts: 2, pollInterval: .milliseconds(50))

    private func finder(_ server: DNSServer) -> ZoneFinder {
        ZoneFinder(resolvers: [DNSAddress(host: "127.0.0.1", port: server.port)], configuration: self.configuration)
    }

    private let delegated = DNSServer.Configuration(nameServer: try! DomainName("ns.gatehouse.test"), zones: [try! DomainName("acme.example.net")])

    @Test func apexSOAIsTheZone() async throws {
        try await withServer { server, _ in
            let zone = try await self.finder(server).zone(of: try name("_acme-challenge.example.com"))
            #expect(zone.description == "_acme-challenge.example.com.")
        }
    }

    @Test func walksUpAndReadsTheNegativeAnswersSOA() async throws {
        try await withServer(configuration: self.delegated) { server, _ in
            let zone = try await self.finder(server).zone(of: try name("a.b.acme.example.net"))
            #expect(zone.description == "acme.example.net.")
        }
    }

    @Test func refusedNamesTheResolverAndTheNameAsked() async throws {
        try await withServer { server, _ in
            let error = await #expect(throws: ZoneLookupError.self) {
                try await self.finder(server).zone(of: try name("www.example.com"))
            }
            #expect(error?.code == .errorResponse)
            #expect(error?.responseCode == .refused)
            #expect(error?.resolver == "127.0.0.1:\(server.port)")
            #expect(error?.description.contains("www.example.com. SOA") == true)
        }
    }

    @Test func splitHorizonServfailSaysSo() async throws {
        let servfail = try await ServfailResolver.start()
        defer { servfail.stop() }
        let finder = ZoneFinder(resolvers: [servfail.address], configuration: .init(attemptTimeout: .seconds(1), attempts: 2))
        let error = await #expect(throws: ZoneLookupError.self) {
            try await finder.zone(of: try name("_acme-challenge.internal.example"))
        }
        #expect(error?.code == .serverFailure)
        #expect(error?.resolver == servfail.address.description)
        let text = error?.description ?? ""
        #expect(text.contains("SERVFAIL from \(servfail.address)"), "\(text)")
        #expect(text.contains("_acme-challenge.internal.example. SOA"), "\(text)")
    }

    @Test func nextResolverIsAskedAfterAServfail() async throws {
        let servfail = try await ServfailResolver.start()
        defer { servfail.stop() }
        try await withServer { server, _ in
            let finder = ZoneFinder(
                resolvers: [servfail.address, DNSAddress(host: "127.0.0.1", port: server.port)],
                configuration: .init(attemptTimeout: .seconds(1), attempts: 1)
            )
            let zone = try await finder.zone(of: try name("_acme-challenge.example.com"))
            #expect(zone.description == "_acme-challenge.example.com.")
        }
    }

    @Test func nameServersWithoutAddressesAreAnError() async throws {
        try await withServer { server, _ in
            let error = await #expect(throws: ZoneLookupError.self) {
                try await self.finder(server).authoritativeServers(of: try name("_acme-challenge.example.com"))
            }
            #expect(error?.code == .noNameServers)
            #expect(error?.description.contains("ns.gatehouse.test.") == true)
        }
    }

    @Test func waitsAtGivenAuthoritativeServersAndReportsThem() async throws {
        try await withServer { server, records in
            let record = try name("_acme-challenge.example.com")
            let here = DNSAddress(host: "127.0.0.1", port: server.port)
            Task {
                try await Task.sleep(for: .milliseconds(150))
                records.add("probe", for: record)
            }
            let seen = try await self.finder(server).waitForTXT(
                name: record, value: "probe", zone: record, policy: .authoritativeServersAndResolvers,
                authoritativeServers: [here], timeout: .seconds(5)
            )
            #expect(seen == [here])
            // No value: the error names the server.
            let error = await #expect(throws: DNSPropagationError.self) {
                try await self.finder(server).waitForTXT(
                    name: record, value: "other", zone: record, authoritativeServers: [here], timeout: .milliseconds(200)
                )
            }
            #expect(error?.pending.map(\.resolver) == [here.description])
        }
    }

    @Test func policyNoneChecksNothing() async throws {
        let finder = ZoneFinder(resolvers: [DNSAddress(host: "127.0.0.1", port: 9)])
        let seen = try await finder.waitForTXT(name: try name("a.example"), value: "x", zone: try name("example"), policy: .none, timeout: .seconds(1))
        #expect(seen.isEmpty)
    }
}

/// A UDP "resolver" on loopback that answers each query as `answer` says.
final class ScriptedResolver: Sendable {
    let channel: any Channel
    let address: DNSAddress

    private init(channel: any Channel, address: DNSAddress) {
        self.channel = channel
        self.address = address
    }

    /// `answer` fills in the response (already a response to the query, NOERROR, no records).
    static func start(_ answer: @escaping @Sendable (Question, inout DNSMessage) -> Void) async throws -> ScriptedResolver {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(answer: answer)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedResolver(channel: channel, address: DNSAddress(host: "127.0.0.1", port: channel.localAddress?.port ?? 0))
    }

    func stop() {
        self.channel.close(promise: nil)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let answer: @Sendable (Question, inout DNSMessage) -> Void

        init(answer: @escaping @Sendable (Question, inout DNSMessage) -> Void) {
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = Self.unwrapInboundIn(data)
            guard let query = try? DNSMessage(parsing: envelope.data), let question = query.questions.first else { return }
            var response = DNSMessage(
                id: query.id, isResponse: true, recursionDesired: query.recursionDesired, recursionAvailable: true,
                questions: query.questions
            )
            self.answer(question, &response)
            context.writeAndFlush(
                Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: response.serialized())), promise: nil
            )
        }
    }
}

/// A resolver that answers SERVFAIL to everything.
enum ServfailResolver {
    static func start() async throws -> ScriptedResolver {
        try await ScriptedResolver.start { _, response in response.responseCode = .serverFailure }
    }
}

/// Zone discovery through a scripted recursive resolver: CNAMEs, NODATA, glue.
@Suite struct ZoneFinderScriptedTests {
    static func soa(_ zone: String) -> ResourceRecord {
        let apex = try! DomainName(zone)
        return ResourceRecord(
            name: apex, ttl: 60,
            data: .soa(StartOfAuthority(primaryServer: try! apex.prepending("ns"), responsibleMailbox: try! apex.prepending("hostmaster"),
                                        serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1))
        )
    }

    /// example.com delegates _acme-challenge.www.example.com by CNAME to
    /// _acme-challenge.www.acme.example.net (zone acme.example.net); alias.example.com has a
    /// CNAME higher up the walk (not at the name) which must be skipped.
    static let answer: @Sendable (Question, inout DNSMessage) -> Void = { question, response in
        let name = question.name.description
        switch (name, question.type) {
        case ("_acme-challenge.www.example.com.", _):
            response.answers = [ResourceRecord(name: question.name, ttl: 60, data: .cname(try! DomainName("_acme-challenge.www.acme.example.net")))]
        case ("acme.example.net.", .soa):
            response.answers = [soa("acme.example.net")]
        case ("acme.example.net.", .ns):
            response.answers = [
                ResourceRecord(name: question.name, ttl: 60, data: .ns(try! DomainName("ns1.acme.example.net"))),
                ResourceRecord(name: question.name, ttl: 60, data: .ns(try! DomainName("ns2.elsewhere.example"))),
            ]
            response.additional = [ResourceRecord(name: try! DomainName("ns1.acme.example.net"), ttl: 60, data: .a([127, 0, 0, 11]))]
        case ("ns2.elsewhere.example.", .a):
            response.answers = [ResourceRecord(name: question.name, ttl: 60, data: .a([127, 0, 0, 12]))]
        case ("ns2.elsewhere.example.", .aaaa):
            response.answers = [ResourceRecord(name: question.name, ttl: 60, data: .aaaa([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))]
        case (let other, _) where other.hasSuffix("acme.example.net."):
            // NODATA for names that exist, with the zone's SOA in the authority section.
            response.authority = [soa("acme.example.net")]
        case ("www.alias.example.com.", _):
            response.answers = [ResourceRecord(name: question.name, ttl: 60, data: .cname(try! DomainName("target.example.org")))]
        case ("example.com.", .soa):
            response.answers = [soa("example.com")]
        default:
            response.responseCode = .nameError
        }
    }

    @Test func followsTheNamesCNAMEToTheTargetsZone() async throws {
        let resolver = try await ScriptedResolver.start(Self.answer)
        defer { resolver.stop() }
        let finder = ZoneFinder(resolvers: [resolver.address], configuration: .init(attemptTimeout: .seconds(1), attempts: 1))
        #expect(try await finder.zone(of: try name("_acme-challenge.www.example.com")).description == "acme.example.net.")
        // A CNAME further up (not at the name) is skipped: its zone is the next SOA up.
        #expect(try await finder.zone(of: try name("_acme-challenge.www.alias.example.com")).description == "example.com.")
    }

    @Test func authoritativeServersFromGlueAndLookups() async throws {
        let resolver = try await ScriptedResolver.start(Self.answer)
        defer { resolver.stop() }
        let finder = ZoneFinder(resolvers: [resolver.address], configuration: .init(attemptTimeout: .seconds(1), attempts: 1))
        let servers = try await finder.authoritativeServers(of: try name("acme.example.net"))
        #expect(servers.map(\.description) == ["127.0.0.11:53", "127.0.0.12:53", "[0:0:0:0:0:0:0:1]:53"])
    }

    @Test func noSOAAnywhereIsNoSOA() async throws {
        let resolver = try await ScriptedResolver.start { _, response in response.responseCode = .nameError }
        defer { resolver.stop() }
        let finder = ZoneFinder(resolvers: [resolver.address], configuration: .init(attemptTimeout: .seconds(1), attempts: 1))
        let error = await #expect(throws: ZoneLookupError.self) { try await finder.zone(of: try name("a.b.example")) }
        #expect(error?.code == .noSOA)
        #expect(error?.description.contains(resolver.address.description) == true)
    }
}
