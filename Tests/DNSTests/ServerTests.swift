import NIOCore
import NIOPosix
import Testing

@testable import DNS

/// Collects what a raw TCP client receives, and whether the server closed the connection.
private final class RawClient: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    // Touched only on the channel's event loop; read by the test after the loop is done with it.
    var received: [UInt8] = []
    let closed: EventLoopPromise<Void>

    init(closed: EventLoopPromise<Void>) {
        self.closed = closed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.received += Self.unwrapInboundIn(data).readableBytesView
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed.succeed()
    }
}

private func connect(to server: DNSServer) async throws -> (any Channel, RawClient) {
    let group = MultiThreadedEventLoopGroup.singleton
    let eventLoop = group.any()
    let client = RawClient(closed: eventLoop.makePromise())
    let channel = try await ClientBootstrap(group: eventLoop)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(client) }
        }
        .connect(host: "127.0.0.1", port: server.port)
        .get()
    return (channel, client)
}

private func framed(_ message: DNSMessage) -> ByteBuffer {
    var buffer = ByteBuffer()
    buffer.writeInteger(UInt16(0))
    message.write(to: &buffer)
    buffer.setInteger(UInt16(buffer.readableBytes - 2), at: 0)
    return buffer
}

/// Waits until the client has received `count` length-prefixed responses (at most 2 seconds),
/// and returns the responses received by then.
private func responses(_ count: Int, on channel: any Channel, client: RawClient) async throws -> [DNSMessage] {
    var responses: [DNSMessage] = []
    for _ in 0..<100 where responses.count < count {
        try await Task.sleep(for: .milliseconds(20))
        responses = try await channel.eventLoop.submit {
            var bytes = ByteBuffer(bytes: client.received)
            var messages: [DNSMessage] = []
            while let length = bytes.readInteger(as: UInt16.self), let body = bytes.readSlice(length: Int(length)) {
                messages.append(try DNSMessage(parsing: body))
            }
            return messages
        }.get()
    }
    return responses
}

/// Waits for `future` at most `timeout`.
private func wait(for future: EventLoopFuture<Void>, timeout: Duration) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await future.get() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TestSupportError(description: "not closed within \(timeout)")
        }
        try await group.next()
        group.cancelAll()
    }
}

@Suite struct ServerTests {
    static let zone = "_acme-challenge.example.com"

    @Test func portZeroPicksOnePortForBothTransports() async throws {
        try await withServer { server, _ in
            #expect(server.port > 0)
            #expect(server.udpAddress.port == server.tcpAddress.port)
            #expect(server.udpAddress.ipAddress == "127.0.0.1")
        }
    }

    @Test func listensOnEveryInterfaceWithoutAHost() async throws {
        let records = DNSChallengeRecords()
        records.add("everywhere", for: try name(Self.zone))
        let server = try await DNSServer.start(
            address: try DNSAddress(parsing: ":0"), records: records,
            configuration: .init(nameServer: try name("ns.test")), logger: testLogger, on: MultiThreadedEventLoopGroup.singleton
        )
        let lookup = DNSTXTLookup(configuration: .init(attemptTimeout: .seconds(2), attempts: 2))
        let viaIPv4 = await Result { try await lookup.lookupTXT(try name(Self.zone), at: DNSAddress(host: "127.0.0.1", port: server.port)) }
        await server.shutdown()
        #expect(server.port > 0)
        #expect(try viaIPv4.get() == ["everywhere"])
    }

    @Test func listensOnIPv6Loopback() async throws {
        let records = DNSChallengeRecords()
        records.add("six", for: try name(Self.zone))
        let server: DNSServer
        do {
            server = try await DNSServer.start(
                address: try DNSAddress(parsing: "[::1]:0"), records: records,
                configuration: .init(nameServer: try name("ns.test")), logger: testLogger, on: MultiThreadedEventLoopGroup.singleton
            )
        } catch {
            print("skipping: no IPv6 loopback here (\(error))")
            return
        }
        let lookup = DNSTXTLookup(configuration: .init(attemptTimeout: .seconds(2), attempts: 2))
        let result = await Result { try await lookup.lookupTXT(try name(Self.zone), at: DNSAddress(host: "::1", port: server.port)) }
        await server.shutdown()
        #expect(try result.get() == ["six"])
    }

    @Test func portInUseNamesTheAddress() async throws {
        try await withServer { server, _ in
            let error = await #expect(throws: DNSServerError.self) {
                try await DNSServer.start(
                    address: DNSAddress(host: "127.0.0.1", port: server.port), records: DNSChallengeRecords(),
                    logger: testLogger, on: MultiThreadedEventLoopGroup.singleton
                )
            }
            #expect(error?.reason.isBindFailure == true)
            #expect(error?.address == "127.0.0.1:\(server.port)")
            #expect(error?.description.contains("UDP") == true)
        }
    }

    @Test func answersSeveralQueriesOnOneConnectionIncludingSplitWrites() async throws {
        try await withServer { server, records in
            records.add("v", for: try name(Self.zone))
            let (channel, client) = try await connect(to: server)
            var both = framed(DNSMessage(id: 1, questions: [Question(name: try name(Self.zone), type: .txt)]))
            var second = framed(DNSMessage(id: 2, questions: [Question(name: try name("x." + Self.zone), type: .txt)]))
            both.writeBuffer(&second)
            // Two queries in one write, then a third split across writes.
            try await channel.writeAndFlush(both)
            let third = framed(DNSMessage(id: 3, questions: [Question(name: try name(Self.zone), type: .soa)]))
            try await channel.writeAndFlush(third.getSlice(at: 0, length: 5)!)
            try await Task.sleep(for: .milliseconds(50))
            try await channel.writeAndFlush(third.getSlice(at: 5, length: third.readableBytes - 5)!)

            let responses = try await responses(3, on: channel, client: client)
            try await channel.close()
            #expect(responses.map(\.id) == [1, 2, 3])
            #expect(responses.map(\.responseCode) == [.noError, .nameError, .noError])
            #expect(responses[0].answers.compactMap(\.data.text) == ["v"])
            #expect(responses[2].answers.map(\.type) == [.soa])
        }
    }

    @Test func idleConnectionsAreClosed() async throws {
        let configuration = DNSServer.Configuration(nameServer: try name("ns.test"), tcpIdleTimeout: .milliseconds(200))
        try await withServer(configuration: configuration) { server, _ in
            let (_, client) = try await connect(to: server)
            try await wait(for: client.closed.futureResult, timeout: .seconds(5))
        }
    }

    @Test func garbageOnTCPClosesTheConnection() async throws {
        try await withServer { server, _ in
            let (channel, client) = try await connect(to: server)
            // A 3-octet message cannot hold a header.
            try await channel.writeAndFlush(ByteBuffer(bytes: [0, 3, 1, 2, 3]))
            try await wait(for: client.closed.futureResult, timeout: .seconds(5))
        }
    }

    @Test func shutdownClosesOpenConnections() async throws {
        let server = try await DNSServer.start(
            address: DNSAddress(host: "127.0.0.1", port: 0), records: DNSChallengeRecords(),
            configuration: .init(nameServer: try name("ns.test")), logger: testLogger, on: MultiThreadedEventLoopGroup.singleton
        )
        let (_, client) = try await connect(to: server)
        try await Task.sleep(for: .milliseconds(50))  // let the server accept it
        await server.shutdown()
        try await wait(for: client.closed.futureResult, timeout: .seconds(5))
        await server.shutdown()  // twice is fine
    }

    @Test func connectionsOverTheLimitAreClosed() async throws {
        let configuration = DNSServer.Configuration(nameServer: try name("ns.test"), maximumTCPConnections: 1)
        try await withServer(configuration: configuration) { server, _ in
            let (first, firstClient) = try await connect(to: server)
            // An answer shows the server has accepted and counted the first connection.
            try await first.writeAndFlush(framed(DNSMessage(id: 1, questions: [Question(name: try name(Self.zone), type: .txt)])))
            #expect(try await responses(1, on: first, client: firstClient).count == 1)
            let (_, secondClient) = try await connect(to: server)
            try await wait(for: secondClient.closed.futureResult, timeout: .seconds(5))
            #expect(first.isActive)
            try await first.close()
            try await firstClient.closed.futureResult.get()
        }
    }

    @Test func udpSurvivesGarbageAndKeepsAnswering() async throws {
        try await withServer { server, records in
            records.add("still-here", for: try name(Self.zone))
            let sender = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
            var random = SeededGenerator(seed: 53)
            for _ in 0..<200 {
                let bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                try await sender.writeAndFlush(AddressedEnvelope(remoteAddress: server.udpAddress, data: ByteBuffer(bytes: bytes)))
            }
            let lookup = DNSTXTLookup(configuration: .init(attemptTimeout: .seconds(2), attempts: 2))
            #expect(try await lookup.lookupTXT(try name(Self.zone), at: DNSAddress(host: "127.0.0.1", port: server.port)) == ["still-here"])
            // Closed only now, so the FORMERR replies reach an open socket: replies to a closed
            // one would draw ICMP errors, which the kernel rate-limits per destination and which
            // another test relies on.
            try await sender.close()
        }
    }
}

extension Result where Failure == any Error {
    fileprivate init(_ body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
