import Config
import Middlewares
import Testing

/// ipAllowList with each ipStrategy.
@Suite struct IPAllowListTests {
    private func allowList(_ ranges: [String], depth: Int? = nil, excluded: [String]? = nil, status: Int? = nil) throws(MiddlewareConfigurationError) -> IPAllowList {
        var config = Middleware.IPAllowList()
        config.sourceRange = ranges
        if depth != nil || excluded != nil {
            var strategy = Middleware.IPStrategy()
            strategy.depth = depth
            strategy.excludedIPs = excluded
            config.ipStrategy = strategy
        }
        config.rejectStatusCode = status
        return try IPAllowList(config, keyPath: "http.middlewares.admin.ipAllowList")
    }

    @Test("by default the connection's peer address decides; others get 403 Forbidden")
    func peer() throws {
        let middleware = try allowList(["192.0.2.0/24", "2001:db8::/32"])
        #expect(run(middleware, request("/", peer: "192.0.2.99")).1 == nil)
        #expect(run(middleware, request("/", peer: "2001:db8::1")).1 == nil)
        let refused = run(middleware, request("/", headers: [("X-Forwarded-For", "192.0.2.5")], peer: "198.51.100.7")).1
        #expect(refused?.status.code == 403)
        #expect(refused?.body == "Forbidden")
    }

    @Test("depth takes the n-th X-Forwarded-For entry from the right")
    func depth() throws {
        let middleware = try allowList(["203.0.113.0/24"], depth: 2)
        let xff = [("X-Forwarded-For", "10.0.0.1, 203.0.113.5, 198.51.100.1")]
        #expect(run(middleware, request("/", headers: xff, peer: "127.0.0.1")).1 == nil)
        #expect(run(middleware, request("/", headers: [("X-Forwarded-For", "203.0.113.5")], peer: "127.0.0.1")).1 != nil,
                "fewer entries than the depth: no client address, refused")
    }

    @Test("excludedIPs takes the rightmost entry outside the excluded ranges; the status is configurable")
    func excluded() throws {
        let middleware = try allowList(["203.0.113.0/24"], excluded: ["198.51.100.0/24"], status: 404)
        let through = [("X-Forwarded-For", "203.0.113.5, 198.51.100.1, 198.51.100.2")]
        #expect(run(middleware, request("/", headers: through, peer: "127.0.0.1")).1 == nil)
        let refused = run(middleware, request("/", headers: [("X-Forwarded-For", "192.0.2.1, 198.51.100.2")], peer: "127.0.0.1")).1
        #expect(refused?.status.code == 404)
    }

    @Test("a bad range or an empty sourceRange is an error that names its key")
    func errors() {
        do {
            _ = try allowList(["192.0.2.0/24", "not-an-ip"])
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath == "http.middlewares.admin.ipAllowList.sourceRange[1]")
        }
        #expect(throws: MiddlewareConfigurationError.self) { try allowList([]) }
    }
}
