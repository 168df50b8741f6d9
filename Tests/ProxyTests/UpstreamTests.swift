import NIOCore
import Testing
@testable import Proxy

@Suite struct UpstreamURLTests {
    let transport = UpstreamTransport()

    @Test(arguments: [
        ("http://10.0.0.5:8080", false, "10.0.0.5", 8080, "10.0.0.5:8080", ""),
        ("https://backend.internal", true, "backend.internal", 443, "backend.internal", ""),
        ("http://[2a02:1802:5e:0:1000::1]:9000", false, "2a02:1802:5e:0:1000::1", 9000, "[2a02:1802:5e:0:1000::1]:9000", ""),
        ("http://localhost:8080/base/", false, "localhost", 8080, "localhost:8080", "/base"),
        ("HTTP://Example.com", false, "Example.com", 80, "Example.com", ""),
    ])
    func parses(url: String, tls: Bool, host: String, port: Int, hostHeader: String, prefix: String) throws {
        let upstream = try Upstream(url: url, transport: transport)
        #expect(upstream.isTLS == tls)
        #expect(upstream.host == host)
        #expect(upstream.port == port)
        #expect(upstream.hostHeader == hostHeader)
        #expect(upstream.pathPrefix == prefix)
    }

    @Test func ipLiteralsArePreResolvedNamesAreNot() throws {
        #expect(try Upstream(url: "http://127.0.0.1:1", transport: transport).resolvedAddress != nil)
        #expect(try Upstream(url: "http://[::1]:1", transport: transport).resolvedAddress != nil)
        #expect(try Upstream(url: "http://localhost:1", transport: transport).resolvedAddress == nil)
    }

    @Test(arguments: ["ftp://x", "10.0.0.1:80", "http://", "http://h:0", "http://h:70000", "http://[::1", "http://h:port"])
    func rejects(url: String) {
        #expect(throws: UpstreamURLError.self) { try Upstream(url: url, transport: transport) }
    }
}

@Suite struct WeightedRoundRobinTests {
    @Test func spreadsByWeightAndInterleaves() {
        let schedule = Service.smoothWeightedSchedule(weights: [5, 1, 1])
        #expect(schedule.count == 7)
        #expect(schedule.filter { $0 == 0 }.count == 5)
        // Smooth: the heavy server never takes all of the period's first slots in a row.
        #expect(schedule == [0, 0, 1, 0, 2, 0, 0])
    }

    @Test func reducesByGCDAndSkipsZeroWeights() {
        #expect(Service.smoothWeightedSchedule(weights: [10, 20, 0]) == [1, 0, 1])
        #expect(Service.smoothWeightedSchedule(weights: [0, 0]).isEmpty)
    }

    @Test func nextServerFollowsWeights() throws {
        let t = UpstreamTransport()
        let a = try Upstream(url: "http://127.0.0.1:1", weight: 3, transport: t)
        let b = try Upstream(url: "http://127.0.0.1:2", weight: 1, transport: t)
        let service = Service(name: "s", servers: [a, b])
        var counts = [0, 0]
        for _ in 0..<400 { counts[service.nextServer()! === a ? 0 : 1] += 1 }
        #expect(counts == [300, 100])
        #expect(Service(name: "empty", servers: []).nextServer() == nil)
    }
}
