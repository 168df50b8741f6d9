import Foundation
import NIOCore
import NIOHTTP1
import Testing
@testable import Proxy

/// How services pick servers: health, sticky cookies, weighted and failover services, p2c.
@Suite struct ServiceSelectionTests {
    private func servers(_ count: Int, weights: [Int]? = nil) throws -> [Upstream] {
        let transport = UpstreamTransport()
        return try (0..<count).map { i in
            try Upstream(url: "http://127.0.0.1:\(9000 + i)", weight: weights?[i] ?? 1, transport: transport)
        }
    }

    private func picks(_ service: Service, _ n: Int, headers: HTTPHeaders = [:]) -> [String] {
        (0..<n).compactMap { _ in service.select(headers)?.upstream.url }
    }

    @Test("round robin skips servers their checks hold down, and none available means no pick (503)")
    func healthAware() throws {
        let all = try servers(3)
        let service = Service(name: "s", servers: all)
        all[1].health.setActive(healthy: false)
        #expect(Set(picks(service, 30)) == [all[0].url, all[2].url])
        all[0].health.setActive(healthy: false)
        all[2].health.setActive(healthy: false)
        #expect(service.select([:]) == nil)
        #expect(!service.isAvailable)
        all[1].health.setActive(healthy: true)
        #expect(Set(picks(service, 6)) == [all[1].url])
    }

    @Test("passive checks take a server out for the window after maxFailedAttempts failures in it")
    func passive() throws {
        let health = ServerHealth()
        let policy = PassiveHealthPolicy(failureWindow: .milliseconds(200), maxFailedAttempts: 2)
        let start = NIODeadline.now()
        #expect(!health.recordFailure(policy, now: start))
        #expect(health.isAvailable)
        #expect(!health.recordFailure(policy, now: start + .milliseconds(300)), "the first failure fell out of the window")
        #expect(health.recordFailure(policy, now: start + .milliseconds(350)))
        #expect(!health.isAvailable)
        usleep(600_000)
        #expect(health.isAvailable, "back after the window")
    }

    @Test("a sticky cookie pins the client; a cookie for a server that is down is replaced")
    func sticky() throws {
        let all = try servers(3)
        let cookie = StickyCookie(name: "lb", httpOnly: true, sameSite: "lax", maxAge: 60)
        let service = Service(name: "s", loadBalancer: LoadBalancer(servers: all, sticky: cookie))
        let first = try #require(service.select([:]))
        let setCookie = try #require(first.setCookies.first)
        #expect(setCookie.hasPrefix("lb=") && setCookie.contains("; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"))
        let value = String(setCookie.dropFirst(3).prefix { $0 != ";" })
        let headers: HTTPHeaders = ["Cookie": "other=1; lb=\(value)"]
        for _ in 0..<20 {
            let again = try #require(service.select(headers))
            #expect(again.upstream === first.upstream)
            #expect(again.setCookies.isEmpty)
        }
        first.upstream.health.setActive(healthy: false)
        let moved = try #require(service.select(headers))
        #expect(moved.upstream !== first.upstream)
        #expect(moved.setCookies.count == 1)
        #expect(Set(picks(service, 30)).count == 2, "without the cookie requests spread")
    }

    @Test("weighted services follow weights, skip children that are down when asked, and can be sticky")
    func weighted() throws {
        let a = Service(name: "a", servers: try servers(1))
        let bServers = try servers(1).map { try Upstream(url: $0.url.replacingOccurrences(of: "9000", with: "9100"), transport: UpstreamTransport()) }
        let b = Service(name: "b", servers: bServers)
        let both = Service(name: "w", weighted: [(a, 3), (b, 1)], followsHealth: true)
        let counts = Dictionary(grouping: picks(both, 400), by: { $0 }).mapValues(\.count)
        #expect(counts.values.sorted() == [100, 300])
        bServers[0].health.setActive(healthy: false)
        #expect(Set(picks(both, 20)).count == 1)
        let sticky = Service(name: "ws", weighted: [(a, 1), (b, 1)], sticky: StickyCookie(name: "w"))
        bServers[0].health.setActive(healthy: true)
        let first = try #require(sticky.select([:]))
        let value = String(first.setCookies[0].dropFirst(2).prefix { $0 != ";" })
        for _ in 0..<10 { #expect(sticky.select(["Cookie": "w=\(value)"])?.upstream === first.upstream) }
    }

    @Test("failover serves the main service while it is available, else the fallback")
    func failover() throws {
        let mainServers = try servers(2)
        let backup = try Upstream(url: "http://127.0.0.1:9999", transport: UpstreamTransport())
        let service = Service(name: "f", failoverFrom: Service(name: "main", servers: mainServers),
                              to: Service(name: "backup", servers: [backup]))
        #expect(!picks(service, 10).contains(backup.url))
        for server in mainServers { server.health.setActive(healthy: false) }
        #expect(Set(picks(service, 5)) == [backup.url])
        mainServers[0].health.setActive(healthy: true)
        #expect(Set(picks(service, 5)) == [mainServers[0].url])
    }

    @Test("power of two choices prefers the server with fewer requests in flight")
    func powerOfTwo() throws {
        let all = try servers(2)
        let service = Service(name: "p", loadBalancer: LoadBalancer(servers: all, strategy: .powerOfTwoChoices))
        all[0].health.inFlight.store(50, ordering: .relaxed)
        #expect(Set(picks(service, 20)) == [all[1].url])
        all[0].health.inFlight.store(0, ordering: .relaxed)
        all[1].health.inFlight.store(50, ordering: .relaxed)
        #expect(Set(picks(service, 20)) == [all[0].url])
    }

    @Test("Traefik's default cookie name and hashed values")
    func cookieNames() {
        let name = StickyCookie.defaultName(service: "whoami@file")
        #expect(name.count == 7 && name.hasPrefix("_"))
        #expect(StickyCookie.value(for: "http://10.0.0.1:80").count == 16)
        #expect(StickyCookie.value(for: "a") != StickyCookie.value(for: "b"))
    }
}
