#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization
import Testing
@testable import Proxy

/// A connection's handlers must go away with it: a handler that keeps its context keeps itself
/// alive (the context holds the handler), and every connection would leak both.
@Suite struct HandlerLifetimeTests {
    @Test("the proxy handler is freed when its connection closes, after answering a request")
    func proxyHandlerIsFreed() throws {
        let loop = EmbeddedEventLoop()
        let entryPoint = EntryPointContext(
            name: "web", port: 80, snapshots: SnapshotHolder(), pools: UpstreamPools(group: loop),
            accessLog: nil, logger: Logger(label: "test"), serverName: "test"
        )
        weak var released: HTTPProxyHandler?
        do {
            let channel = EmbeddedChannel(loop: loop)
            let handler = HTTPProxyHandler(
                entryPoint: entryPoint, isTLS: false, isHTTP2: false, client: ClientInfo(nil), timeouts: nil
            )
            released = handler
            try channel.pipeline.syncOperations.addHandler(handler)
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
            head.headers.add(name: "Host", value: "nothing.test")
            try channel.writeInbound(HTTPServerRequestPart.head(head))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
            // No routes: a local 404 was written.
            guard case .head(let response) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
                Issue.record("no response head")
                return
            }
            #expect(response.status == .notFound)
            _ = try channel.finish(acceptAlreadyClosed: true)
        }
        #expect(released == nil, "HTTPProxyHandler outlived its channel")
    }

    /// After a socket error NIO closes the channel by itself; a handler that also closes starts
    /// NIOSSL's close_notify wait, whose timer kept each aborted TLS connection's buffers alive
    /// for seconds (RSS at 1,000 TLS connections grew by ~15 MiB per round of connections).
    @Test("a socket error leaves the close to NIO; any other error closes the connection")
    func socketErrorsAreLeftToNIO() throws {
        func channelAfter(_ error: any Error) throws -> EmbeddedChannel {
            let loop = EmbeddedEventLoop()
            let entryPoint = EntryPointContext(
                name: "web", port: 80, snapshots: SnapshotHolder(), pools: UpstreamPools(group: loop),
                accessLog: nil, logger: Logger(label: "test"), serverName: "test"
            )
            let channel = EmbeddedChannel(loop: loop)
            try channel.pipeline.syncOperations.addHandler(
                HTTPProxyHandler(entryPoint: entryPoint, isTLS: true, isHTTP2: false, client: ClientInfo(nil), timeouts: nil)
            )
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            channel.pipeline.fireErrorCaught(error)
            return channel
        }
        let reset = try channelAfter(IOError(errnoCode: ECONNRESET, reason: "read(descriptor:pointer:size:)"))
        #expect(reset.isActive, "the handler closed on a socket error that NIO closes by itself")
        _ = try reset.finish(acceptAlreadyClosed: true)

        struct ApplicationError: Error {}
        let other = try channelAfter(ApplicationError())
        #expect(!other.isActive, "the handler left the connection open after an error NIO does not act on")
        _ = try other.finish(acceptAlreadyClosed: true)
    }
}

@Suite struct MemoryReclaimerTests {
    final class Counter: Sendable {
        let trims = Mutex(0)
    }

    @Test("a trim follows a large drop in open connections, not a steady churn")
    func trimsAfterLargeDrop() async throws {
        let counter = Counter()
        let reclaimer = MemoryReclaimer(delay: .milliseconds(10)) { counter.trims.withLock { $0 += 1 } }
        // Steady churn around 300 open connections: never half the peak.
        for _ in 0..<300 { reclaimer.connectionOpened() }
        for _ in 0..<1_000 {
            reclaimer.connectionClosed()
            reclaimer.connectionOpened()
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(counter.trims.withLock { $0 } == 0)
        // All 300 close: one trim, however many closes follow.
        for _ in 0..<300 { reclaimer.connectionClosed() }
        try await Task.sleep(for: .milliseconds(200))
        #expect(counter.trims.withLock { $0 } == 1)
        #expect(reclaimer.openConnections == 0)
        // A small burst afterwards (below the minimum drop) does not trim again.
        for _ in 0..<100 { reclaimer.connectionOpened() }
        for _ in 0..<100 { reclaimer.connectionClosed() }
        try await Task.sleep(for: .milliseconds(100))
        #expect(counter.trims.withLock { $0 } == 1)
    }
}
