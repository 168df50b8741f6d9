import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
@testable import Proxy

@Suite("Traffic metrics: per-loop shards added up at scrape time")
struct TrafficMetricsTests {
    @Test("requests recorded on different loops are summed by key, durations into the right bucket")
    func requestsAcrossLoops() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let metrics = TrafficMetrics(group: group)
        let loops = Array(group.makeIterator())
        #expect(loops.count == 2)
        func record(on loop: any EventLoop, code: Int, method: HTTPMethod, seconds: Double) async throws {
            try await loop.submit {
                metrics.recordRequest(entryPoint: "web", router: "app@file", service: "app@file", code: code, method: method,
                                      upgraded: false, seconds: seconds)
            }.get()
        }
        try await record(on: loops[0], code: 200, method: .GET, seconds: 0.05)
        try await record(on: loops[1], code: 200, method: .GET, seconds: 0.2)
        try await record(on: loops[1], code: 200, method: .GET, seconds: 7)
        try await record(on: loops[0], code: 404, method: .POST, seconds: 0.1)
        try await record(on: loops[0], code: 200, method: .RAW(value: "BREW"), seconds: 0.1)

        let sample = await metrics.sample()
        #expect(sample.bounds == [0.1, 0.3, 1.2, 5])
        let get = try #require(sample.requests[RequestKey(entryPoint: "web", router: "app@file", service: "app@file", code: 200,
                                                         method: "GET", protocolName: "http")])
        #expect(get.count == 3)
        #expect(get.bucketCounts == [1, 1, 0, 0])  // 7 s is above every bound: only in the count
        #expect(abs(get.durationSum - 7.25) < 1e-9)
        let post = try #require(sample.requests[RequestKey(entryPoint: "web", router: "app@file", service: "app@file", code: 404,
                                                          method: "POST", protocolName: "http")])
        #expect(post.count == 1)
        #expect(post.bucketCounts == [1, 0, 0, 0])  // a bound is inclusive (le)
        #expect(sample.requests.keys.contains { $0.method == "EXTENSION" })
        #expect(sample.requests.count == 3)
        try await group.shutdownGracefully()
    }

    @Test("recording off the group's loops counts nothing")
    func offLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let metrics = TrafficMetrics(group: group)
        metrics.recordRequest(entryPoint: "web", router: "", service: "", code: 404, method: .GET, upgraded: false, seconds: 0)
        metrics.connectionOpened(entryPoint: "web")
        let sample = await metrics.sample()
        #expect(sample.requests.isEmpty)
        #expect(sample.openConnections.isEmpty)
        try await group.shutdownGracefully()
    }

    @Test("open connections are opened minus closed over every loop; handshakes by version; failures")
    func connectionsAndHandshakes() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let metrics = TrafficMetrics(group: group, buckets: [2, 1, 1, .infinity])
        #expect(metrics.bounds == [1, 2])
        let loops = Array(group.makeIterator())
        try await loops[0].submit {
            metrics.connectionOpened(entryPoint: "web")
            metrics.connectionOpened(entryPoint: "web")
            metrics.connectionOpened(entryPoint: "websecure")
            metrics.handshakeCompleted(entryPoint: "websecure", version: "1.3")
        }.get()
        try await loops[1].submit {
            metrics.connectionOpened(entryPoint: "web")
            metrics.connectionClosed(entryPoint: "web")
            metrics.handshakeCompleted(entryPoint: "websecure", version: "1.3")
            metrics.handshakeFailed(entryPoint: "websecure")
        }.get()
        try await loops[0].submit { metrics.connectionClosed(entryPoint: "web") }.get()
        let sample = await metrics.sample()
        #expect(sample.openConnections == ["web": 1, "websecure": 1])
        #expect(sample.handshakes == [HandshakeKey(entryPoint: "websecure", version: "1.3"): 2])
        #expect(sample.handshakeFailures == ["websecure": 1])
        try await group.shutdownGracefully()
    }
}
