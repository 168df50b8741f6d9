import Routing
import Testing
@testable import Proxy

/// TCP route tables: Traefik's order and the at-once forwarding decision.
@Suite struct TCPRoutesTests {
    let service = TCPBalancer(name: "s", servers: [])

    func route(_ name: String, _ rule: String, priority: Int? = nil, tls: TCPRouteTarget.TLSMode = .passthrough) throws -> Route<TCPRouteTarget> {
        Route(name: name, rule: try Rule.parse(rule, kind: .tcp), priority: priority,
              target: TCPRouteTarget(routerName: name, service: service, tls: tls))
    }

    @Test("longer rules first by default; an explicit priority wins; the catch-all comes last")
    func order() throws {
        let table = RouteTable([
            try route("catchall", "HostSNI(`*`)"),
            try route("exact", "HostSNI(`db.example.com`)"),
            try route("regexp", "HostSNIRegexp(`\\.com$`)"),  // shorter than the exact rule: tried after it
            try route("h2only", "HostSNI(`db.example.com`) && ALPN(`h2`)"),
            try route("office", "ClientIP(`10.0.0.0/8`)", priority: 1000),
        ])
        func match(_ sni: String?, alpn: [String] = [], ip: String = "192.0.2.1") -> String? {
            table.match(TCPRoutingInput(serverName: sni, alpnProtocols: alpn, clientIP: IPAddress(ip)))?.name
        }
        #expect(match("db.example.com", alpn: ["h2", "http/1.1"]) == "h2only")
        #expect(match("db.example.com") == "exact")
        #expect(match("DB.Example.com.") == "exact")
        #expect(match("other.example.com") == "regexp")
        #expect(match("example.org") == "catchall")
        #expect(match(nil) == "catchall")
        #expect(match("db.example.com", ip: "10.1.2.3") == "office")
        for sni in ["db.example.com", "other.example.com", "x.test", ""] {
            let input = TCPRoutingInput(serverName: sni, alpnProtocols: ["h2"], clientIP: IPAddress("10.9.9.9"))
            #expect(table.match(input)?.name == table.matchLinearly(input)?.name)
        }
    }

    @Test("a catch-all plaintext router alone on the entry point forwards at once")
    func forwardAtOnce() throws {
        let catchAll = TCPRoutes(secure: RouteTable([]), plain: RouteTable([try route("smtp", "HostSNI(`*`)", tls: .none)]))
        #expect(EntryPointRoutes(plain: RouteTable([]), secure: RouteTable([]), tcp: catchAll).forwardAtOnce?.routerName == "smtp")

        let byClient = TCPRoutes(secure: RouteTable([]), plain: RouteTable([try route("lan", "ClientIP(`10.0.0.0/8`)", tls: .none)]))
        #expect(EntryPointRoutes(plain: RouteTable([]), secure: RouteTable([]), tcp: byClient).forwardAtOnce == nil)

        let withTLS = TCPRoutes(secure: RouteTable([try route("tls", "HostSNI(`a.test`)")]), plain: catchAll.plain)
        #expect(EntryPointRoutes(plain: RouteTable([]), secure: RouteTable([]), tcp: withTLS).forwardAtOnce == nil)

        let http = Route(name: "web", rule: try Rule.parse("PathPrefix(`/`)"),
                         target: RouteTarget(routerName: "web", action: .redirect(SchemeRedirect(scheme: "https", port: nil, permanent: true))))
        #expect(EntryPointRoutes(plain: RouteTable([http]), secure: RouteTable([]), tcp: catchAll).forwardAtOnce == nil)
        #expect(EntryPointRoutes.empty.forwardAtOnce == nil)
    }

    @Test("ipAllowList admits only its networks; inFlightConn counts per client and releases")
    func middlewares() throws {
        let allow = TCPConnectionMiddleware.ipAllowList([try IPNetwork(parsing: "10.0.0.0/8")])
        #expect(allow.admit(IPAddress("10.2.3.4")) != nil)
        #expect(allow.admit(IPAddress("::ffff:10.2.3.4")) != nil)
        #expect(allow.admit(IPAddress("192.0.2.1")) == nil)
        #expect(allow.admit(nil) == nil)

        let counter = InFlightConnections(limit: 2)
        let limit = TCPConnectionMiddleware.inFlightConn(counter)
        let client = IPAddress("192.0.2.1")!
        let first = limit.admit(client)
        let second = limit.admit(client)
        #expect(first != nil && second != nil)
        #expect(limit.admit(client) == nil)
        #expect(limit.admit(IPAddress("192.0.2.2")) != nil)
        first?()
        #expect(counter.count(for: client) == 1)
        #expect(limit.admit(client) != nil)
    }
}
