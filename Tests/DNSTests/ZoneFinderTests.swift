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

/// A UDP "resolver" on loopback that answers every query with SERVFAIL.
final class ServfailResolver: Sendable {
    let channel: any Channel
    let address: DNSAddress

    private init(channel: any Channel, address: DNSAddress) {
        self.channel = channel
        self.address = address
    }

    static func start() async throws -> ServfailResolver {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ServfailResolver(channel: channel, address: DNSAddress(host: "127.0.0.1", port: channel.localAddress?.port ?? 0))
    }

    func stop() {
        self.channel.close(promise: nil)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = Self.unwrapInboundIn(data)
            guard let query = try? DNSMessage(parsing: envelope.data) else { return }
            let response = DNSMessage(
                id: query.id, isResponse: true, recursionDesired: query.recursionDesired, recursionAvailable: true,
                responseCode: .serverFailure, questions: query.questions
            )
            context.writeAndFlush(
                Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: response.serialized())), promise: nil
            )
        }
    }
}
