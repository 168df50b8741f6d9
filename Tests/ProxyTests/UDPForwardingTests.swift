import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import Proxy

/// Datagrams through a real UDP entry point on loopback, to real UDP backends.
@Suite(.serialized) struct UDPForwardingTests {
    @Test("each client keeps one server; clients spread over the servers; each session has its own source port")
    func affinityAndSpread() async throws {
        try await withLab { lab in
            let a = try await lab.backend("a"), b = try await lab.backend("b")
            let gateway = try await lab.entryPoint(route: lab.route(a, b))
            let one = try await lab.client(), two = try await lab.client()
            #expect(try await one.ask("q1", via: gateway) == "a:q1")
            #expect(try await two.ask("q1", via: gateway) == "b:q1")
            for i in 2...5 {
                #expect(try await one.ask("q\(i)", via: gateway) == "a:q\(i)")
                #expect(try await two.ask("q\(i)", via: gateway) == "b:q\(i)")
            }
            #expect(Set(a.inbox.all.map(\.remoteAddress)).count == 1, "one session, one source port on a")
            #expect(Set(b.inbox.all.map(\.remoteAddress)).count == 1)
            #expect(a.inbox.all.map(\.remoteAddress) != b.inbox.all.map(\.remoteAddress))
        }
    }

    @Test("datagram boundaries are kept and a 65,507-byte datagram passes both ways")
    func largeDatagrams() async throws {
        try await withLab { lab in
            let a = try await lab.backend("a")
            let gateway = try await lab.entryPoint(route: lab.route(a))
            let client = try await lab.client()
            let big = (0..<65_507).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try await client.send(big, to: gateway)
            try await client.send(Array("small".utf8), to: gateway)
            let replies = try await client.inbox.wait(count: 2)
            #expect(replies.map(\.data.readableBytes).sorted() == [7, 65_507])
            let echoed = try #require(replies.first { $0.data.readableBytes == 65_507 })
            #expect(Array(echoed.data.readableBytesView) == big)
            #expect(replies.allSatisfy { $0.remoteAddress == gateway.localAddress }, "replies come from the entry point")
        }
    }

    @Test("an idle session ends after the timeout: the next datagram opens a new one with the next server")
    func idleTimeout() async throws {
        try await withLab { lab in
            let a = try await lab.backend("a"), b = try await lab.backend("b")
            let gateway = try await lab.entryPoint(route: lab.route(a, b), idleTimeout: .milliseconds(500))
            let client = try await lab.client()
            #expect(try await client.ask("1", via: gateway) == "a:1")
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await client.ask("2", via: gateway) == "a:2", "activity within the timeout keeps the session")
            try await Task.sleep(for: .milliseconds(900))
            #expect(try await client.ask("3", via: gateway) == "b:3")
        }
    }

    @Test("a new snapshot changes new sessions only")
    func reload() async throws {
        try await withLab { lab in
            let a = try await lab.backend("a"), c = try await lab.backend("c")
            let gateway = try await lab.entryPoint(route: lab.route(a))
            let early = try await lab.client(), late = try await lab.client()
            #expect(try await early.ask("1", via: gateway) == "a:1")
            lab.snapshots.replace(with: RuntimeSnapshot(generation: 2, entryPoints: [:], udp: ["udp": lab.route(c)]))
            #expect(try await late.ask("1", via: gateway) == "c:1")
            #expect(try await early.ask("2", via: gateway) == "a:2")
        }
    }

    @Test("an unreachable server ends the session; the client's next datagram gets another server")
    func unreachableServer() async throws {
        try await withLab { lab in
            let dead = try await lab.closedPort()
            let live = try await lab.backend("live")
            let route = UDPRoute(routerName: "r@file", service: UDPService(name: "s@file", servers: [dead, live.server]))
            let gateway = try await lab.entryPoint(route: route)
            let client = try await lab.client()
            try await client.send(Array("lost".utf8), to: gateway)
            // The ICMP port unreachable ends the first session; retries then reach the live server.
            var answer: String?
            for attempt in 0..<40 where answer == nil {
                try await client.send(Array("retry\(attempt)".utf8), to: gateway)
                answer = try await client.inbox.next(within: .milliseconds(50)).map { String(buffer: $0.data) }
            }
            #expect(answer?.hasPrefix("live:retry") == true)
        }
    }

    @Test("closing the entry point closes its socket and every session's socket")
    func closeReleasesSockets() async throws {
        try await withLab { lab in
            let a = try await lab.backend("a")
            let gateway = try await lab.entryPoint(route: lab.route(a))
            let client = try await lab.client()
            #expect(try await client.ask("1", via: gateway) == "a:1")
            let sessionPort = try #require(a.inbox.all.first?.remoteAddress.port)
            #expect(!(await lab.canBind(port: sessionPort, attempts: 1)), "the session's socket holds its port while open")
            await gateway.close()
            #expect(await lab.canBind(port: gateway.localAddress.port!), "the entry point's port is free again")
            #expect(await lab.canBind(port: sessionPort), "the session's socket was closed")
        }
    }

    @Test("a server given by host name is resolved off the event loop and served")
    func hostName() async throws {
        try await withLab { lab in
            // Bind the backend where "localhost" resolves first (127.0.0.1 or ::1, per /etc/hosts).
            let ip = try SocketAddress.makeAddressResolvingHost("localhost", port: 0).ipAddress!
            let backend = try await lab.backend("named", host: ip)
            let server = try #require(UDPServer(address: "localhost:\(backend.server.port)"))
            #expect(server.resolvedAddress == nil)
            let gateway = try await lab.entryPoint(route: UDPRoute(routerName: "r@file", service: UDPService(name: "s@file", servers: [server])))
            let client = try await lab.client()
            #expect(try await client.ask("hi", via: gateway) == "named:hi")
        }
    }

    @Test("beyond the session limit new clients are dropped until a session ends")
    func sessionLimit() async throws {
        try await withLab { lab in
            let a = try await lab.backend("a")
            let gateway = try await lab.entryPoint(route: lab.route(a), idleTimeout: .milliseconds(300), maxSessions: 1)
            let first = try await lab.client(), second = try await lab.client()
            #expect(try await first.ask("1", via: gateway) == "a:1")
            try await second.send(Array("2".utf8), to: gateway)
            #expect(try await second.inbox.next(within: .milliseconds(150)) == nil, "a second session beyond the limit")
            #expect(try await first.ask("3", via: gateway) == "a:3", "the session in progress still works")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await second.ask("4", via: gateway) == "a:4", "room again once the first session expired")
        }
    }

    @Test("no UDP route on the entry point: datagrams are dropped, the entry point keeps serving")
    func noRoute() async throws {
        try await withLab { lab in
            let a = try await lab.backend("a")
            lab.snapshots.replace(with: .empty)
            let gateway = try await UDPEntryPoint.bind(name: "udp", host: "127.0.0.1", port: 0, snapshots: lab.snapshots,
                                                       logger: lab.logger, group: lab.group)
            lab.entryPoints.withLockedValue { $0.append(gateway) }
            let client = try await lab.client()
            try await client.send(Array("x".utf8), to: gateway)
            #expect(try await client.inbox.next(within: .milliseconds(200)) == nil)
            lab.snapshots.replace(with: RuntimeSnapshot(generation: 2, entryPoints: [:], udp: ["udp": lab.route(a)]))
            #expect(try await client.ask("y", via: gateway) == "a:y")
        }
    }
}

// MARK: - Test rig

/// Event loops, backends, clients and entry points of one test; everything is closed at the end.
final class UDPLab: Sendable {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let snapshots = SnapshotHolder()
    let logger = Logger(label: "udp-test")
    let channels = NIOLockedValueBox<[any Channel]>([])
    let entryPoints = NIOLockedValueBox<[UDPEntryPoint]>([])

    func route(_ backends: UDPBackend...) -> UDPRoute {
        UDPRoute(routerName: "r@file", service: UDPService(name: "s@file", servers: backends.map(\.server)))
    }

    /// An echo server: answers `name:payload` (large datagrams unchanged), and records what came.
    func backend(_ name: String, host: String = "127.0.0.1") async throws -> UDPBackend {
        let inbox = Inbox()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(name: name, inbox: inbox))
                }
            }
            .bind(host: host, port: 0).get()
        channels.withLockedValue { $0.append(channel) }
        let literal = host.contains(":") ? "[\(host)]" : host
        return UDPBackend(server: UDPServer(address: "\(literal):\(channel.localAddress!.port!)")!, inbox: inbox)
    }

    /// A loopback port with nothing listening (bound, then closed).
    func closedPort() async throws -> UDPServer {
        let channel = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return UDPServer(address: "127.0.0.1:\(port)")!
    }

    /// Whether a UDP socket can bind `127.0.0.1:port`, trying `attempts` times 50 ms apart
    /// (sockets close asynchronously).
    func canBind(port: Int, attempts: Int = 20) async -> Bool {
        for _ in 0..<attempts {
            if let channel = try? await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func client() async throws -> UDPClient {
        let inbox = Inbox()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channels.withLockedValue { $0.append(channel) }
        return UDPClient(channel: channel, inbox: inbox)
    }

    func entryPoint(route: UDPRoute, idleTimeout: TimeAmount = .seconds(3), maxSessions: Int = 4096) async throws -> UDPEntryPoint {
        snapshots.replace(with: RuntimeSnapshot(generation: 1, entryPoints: [:], udp: ["udp": route]))
        let entryPoint = try await UDPEntryPoint.bind(
            name: "udp", host: "127.0.0.1", port: 0, settings: .init(idleTimeout: idleTimeout, maxSessions: maxSessions),
            snapshots: snapshots,
            logger: logger, group: group
        )
        entryPoints.withLockedValue { $0.append(entryPoint) }
        return entryPoint
    }

    func close() async {
        for entryPoint in entryPoints.withLockedValue({ $0 }) { await entryPoint.close() }
        for channel in channels.withLockedValue({ $0 }) { try? await channel.close() }
        try? await group.shutdownGracefully()
    }
}

func withLab(_ body: (UDPLab) async throws -> Void) async throws {
    let lab = UDPLab()
    do {
        try await body(lab)
    } catch {
        await lab.close()
        throw error
    }
    await lab.close()
}

struct UDPBackend: Sendable {
    let server: UDPServer
    let inbox: Inbox
}

struct UDPClient: Sendable {
    let channel: any Channel
    let inbox: Inbox

    func send(_ bytes: [UInt8], to entryPoint: UDPEntryPoint) async throws {
        let buffer = channel.allocator.buffer(bytes: bytes)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: entryPoint.localAddress, data: buffer)).get()
    }

    /// Sends `text` and returns the next reply as text.
    func ask(_ text: String, via entryPoint: UDPEntryPoint) async throws -> String? {
        try await send(Array(text.utf8), to: entryPoint)
        return try await inbox.next(within: .seconds(2)).map { String(buffer: $0.data) }
    }
}

/// Datagrams received, in order; readers poll with a deadline.
final class Inbox: Sendable {
    private let state = NIOLockedValueBox<(items: [AddressedEnvelope<ByteBuffer>], read: Int)>(([], 0))

    func append(_ envelope: AddressedEnvelope<ByteBuffer>) {
        state.withLockedValue { $0.items.append(envelope) }
    }

    var all: [AddressedEnvelope<ByteBuffer>] { state.withLockedValue { $0.items } }

    /// The next unread datagram, or `nil` when none comes within `timeout`.
    func next(within timeout: Duration) async throws -> AddressedEnvelope<ByteBuffer>? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let item = state.withLockedValue { state -> AddressedEnvelope<ByteBuffer>? in
                guard state.read < state.items.count else { return nil }
                defer { state.read += 1 }
                return state.items[state.read]
            }
            if let item { return item }
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The next `count` datagrams; fails the test when they do not all come within `timeout`.
    func wait(count: Int, timeout: Duration = .seconds(2)) async throws -> [AddressedEnvelope<ByteBuffer>] {
        var out: [AddressedEnvelope<ByteBuffer>] = []
        for _ in 0..<count {
            out.append(try #require(try await next(within: timeout)))
        }
        return out
    }
}

final class InboxHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let inbox: Inbox
    init(inbox: Inbox) { self.inbox = inbox }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inbox.append(Self.unwrapInboundIn(data))
    }
}

final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let name: String
    let inbox: Inbox
    init(name: String, inbox: Inbox) {
        self.name = name
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        inbox.append(envelope)
        var reply = envelope.data
        if reply.readableBytes < 60_000 {
            reply = context.channel.allocator.buffer(string: "\(name):")
            var payload = envelope.data
            reply.writeBuffer(&payload)
        }
        context.writeAndFlush(Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)), promise: nil)
    }
}
