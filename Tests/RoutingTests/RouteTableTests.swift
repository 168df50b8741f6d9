import Foundation
import Testing
@testable import Routing

struct RouteTableTests {
    func route(_ name: String, _ rule: String, priority: Int? = nil) throws -> Route<String> {
        Route(name: name, rule: try Rule.parse(rule), priority: priority, target: name)
    }

    // MARK: Ordering

    @Test func longerRuleWinsByDefault() throws {
        let table = RouteTable([
            try route("site", "Host(`x.com`)"),
            try route("api", "Host(`x.com`) && PathPrefix(`/api`)"),
        ])
        #expect(table.match(req("x.com", "/api/1").request)?.name == "api")
        #expect(table.match(req("x.com", "/other").request)?.name == "site")
        #expect(table.routes.map(\.name) == ["api", "site"])
    }

    @Test func explicitPriorityWins() throws {
        let table = RouteTable([
            try route("site", "Host(`x.com`)", priority: 100),
            try route("api", "Host(`x.com`) && PathPrefix(`/api`)"),
        ])
        #expect(table.match(req("x.com", "/api/1").request)?.name == "site")
        #expect(table.match(req("x.com", "/api/1").request)?.priority == 100)
    }

    @Test func zeroPriorityMeansRuleLength() throws {
        let table = RouteTable([
            try route("site", "Host(`x.com`)", priority: 0),
            try route("api", "Host(`x.com`) && PathPrefix(`/api`)", priority: 0),
        ])
        #expect(table.match(req("x.com", "/api").request)?.name == "api")
        #expect(table.match(req("x.com", "/api").request)?.priority == 35)
    }

    @Test func lowPriorityLoses() throws {
        let table = RouteTable([
            try route("catch-all", "PathPrefix(`/`)", priority: 1),
            try route("site", "Host(`x.com`)"),
        ])
        #expect(table.match(req("x.com").request)?.name == "site")
        #expect(table.match(req("y.com").request)?.name == "catch-all")
        let negative = RouteTable([
            try route("catch-all", "PathPrefix(`/`)", priority: -5),
            try route("other", "Path(`/`)"),
        ])
        #expect(negative.match(req("y.com").request)?.name == "other")
    }

    @Test func equalPrioritiesAreOrderedByName() throws {
        let table = RouteTable([
            try route("zeta", "Host(`x.com`)"),
            try route("alpha", "Host(`x.com`)"),
            try route("mid", "Host(`x.com`)"),
        ])
        #expect(table.match(req("x.com").request)?.name == "alpha")
        #expect(table.routes.map(\.name) == ["alpha", "mid", "zeta"])
        // The same whatever the input order.
        let reversed = RouteTable(table.routes.reversed())
        #expect(reversed.routes.map(\.name) == ["alpha", "mid", "zeta"])
    }

    @Test func hostAgnosticRouteWithHigherPriorityBeatsHostRoute() throws {
        let table = RouteTable([
            try route("acme", "PathPrefix(`/.well-known/acme-challenge/`)"),
            try route("site", "Host(`x.com`)"),
            try route("fallback", "PathPrefix(`/`)", priority: 1),
        ])
        #expect(table.match(req("x.com", "/.well-known/acme-challenge/tok").request)?.name == "acme")
        #expect(table.match(req("x.com", "/").request)?.name == "site")
        #expect(table.match(req("other.com", "/").request)?.name == "fallback")
        #expect(table.hostIndexedCount == 1)
    }

    @Test func contradictoryHostsNeverMatch() throws {
        let table = RouteTable([try route("never", "Host(`a.com`) && Host(`b.com`)")])
        #expect(table.match(req("a.com").request) == nil)
        #expect(table.matchLinearly(req("a.com").request) == nil)
    }

    @Test func emptyTableMatchesNothing() {
        let table = RouteTable<String>([])
        #expect(table.match(req("a.com").request) == nil)
        #expect(table.match(TCPRoutingInput(serverName: "a.com")) == nil)
        #expect(table.count == 0)
    }

    @Test func tcpTableIndexesServerNames() throws {
        let table = RouteTable([
            Route(name: "passthrough", rule: try Rule.parse("HostSNI(`remote.omar.grid.tf`)", kind: .tcp), target: "p"),
            Route(name: "h2-only", rule: try Rule.parse("HostSNI(`a.com`) && ALPN(`h2`)", kind: .tcp), target: "h2"),
            Route(name: "any", rule: try Rule.parse("HostSNI(`*`)", kind: .tcp), priority: 1, target: "any"),
        ])
        #expect(table.match(TCPRoutingInput(serverName: "remote.omar.grid.tf"))?.name == "passthrough")
        #expect(table.match(TCPRoutingInput(serverName: "a.com", alpnProtocols: ["h2"]))?.name == "h2-only")
        #expect(table.match(TCPRoutingInput(serverName: "a.com", alpnProtocols: ["http/1.1"]))?.name == "any")
        #expect(table.match(TCPRoutingInput(serverName: nil))?.name == "any")
        #expect(table.hostIndexedCount == 2)
    }

    // MARK: Index equivalence

    /// Random tables and requests: the indexed match must always equal a linear scan.
    @Test func indexAgreesWithLinearScan() throws {
        var rng = SeededGenerator(seed: 0x5EED)
        let hosts = (0..<40).map { "h\($0).example.com" } + ["bücher.example", "[::1]", "10.0.0.1"]
        let prefixes = ["/", "/api", "/api/v1", "/static", "/admin", "/apiv2", "/a%20b"]
        func host() -> String { hosts.randomElement(using: &rng)! }
        func prefix() -> String { prefixes.randomElement(using: &rng)! }
        func ruleText() -> String {
            switch Int.random(in: 0..<14, using: &rng) {
            case 0: return "Host(`\(host())`)"
            case 1: return "Host(`\(host())`) || Host(`\(host())`)"
            case 2: return "(Host(`\(host())`) || Host(`\(host())`)) && PathPrefix(`\(prefix())`)"
            case 3: return "Host(`\(host())`) && PathPrefix(`\(prefix())`)"
            case 4: return "PathPrefix(`\(prefix())`)"
            case 5: return "!Host(`\(host())`) && PathPrefix(`\(prefix())`)"
            case 6: return "Host(`\(host())`) && !PathPrefix(`\(prefix())`)"
            case 7: return #"HostRegexp(`^h[0-9]\.example\.com$`)"#
            case 8: return "Host(`\(host())`) || PathPrefix(`\(prefix())`)"
            case 9: return "Method(`POST`) && Host(`\(host())`)"
            case 10: return "Header(`X-Env`, `prod`) && (Host(`\(host())`) || Host(`\(host())`))"
            case 11: return "Host(`\(host())`) && Host(`\(host())`)"
            case 12: return "Query(`debug`) || ClientIP(`10.0.0.0/8`) && Host(`\(host())`)"
            default: return "(Host(`\(host())`) && Path(`\(prefix())`)) || (Host(`\(host())`) && Method(`GET`))"
            }
        }
        for round in 0..<4 {
            var routes: [Route<Int>] = []
            for i in 0..<(round == 0 ? 30 : 600) {
                let priority: Int? = Int.random(in: 0..<4, using: &rng) == 0 ? Int.random(in: -3...80, using: &rng) : nil
                // Duplicate names on purpose, to exercise the stable tie-break.
                let name = "r\(Int.random(in: 0..<(round == 0 ? 10 : 400), using: &rng))"
                routes.append(Route(name: name, rule: try Rule.parse(ruleText()), priority: priority, target: i))
            }
            let table = RouteTable(routes)
            for _ in 0..<3000 {
                let requestHost = Int.random(in: 0..<10, using: &rng) == 0 ? "unknown.example" : host()
                let path = prefix() + (Bool.random(using: &rng) ? "/x" : "")
                let spec = req(
                    requestHost + (Bool.random(using: &rng) ? ":8443" : ""),
                    path + (Bool.random(using: &rng) ? "?debug" : ""),
                    method: Bool.random(using: &rng) ? "GET" : "POST",
                    headers: Bool.random(using: &rng) ? [("X-Env", "prod")] : [],
                    ip: Bool.random(using: &rng) ? "10.1.1.1" : "192.0.2.1"
                )
                let request = spec.request
                let indexed = table.match(request)
                let linear = table.matchLinearly(request)
                #expect(indexed?.target == linear?.target, "\(spec)")
                if indexed?.target != linear?.target { return }
            }
        }
    }

    // MARK: Scale

    @Test func tenThousandHostRoutersBuildQuicklyAndLookUpByIndex() throws {
        var routes: [Route<Int>] = []
        routes.reserveCapacity(10_000)
        let parseStart = Date()
        for i in 0..<10_000 {
            let rule: String
            switch i % 4 {
            case 0: rule = "Host(`svc\(i).example.com`)"
            case 1: rule = "Host(`svc\(i).example.com`) && PathPrefix(`/api`)"
            case 2: rule = "Host(`svc\(i).example.com`) || Host(`alt\(i).example.net`)"
            default: rule = "(Host(`svc\(i).example.com`) || Host(`www.svc\(i).example.com`)) && !Method(`TRACE`)"
            }
            routes.append(Route(name: "router-\(i)", rule: try Rule.parse(rule), target: i))
        }
        let parsed = Date().timeIntervalSince(parseStart)
        let buildStart = Date()
        let table = RouteTable(routes)
        let built = Date().timeIntervalSince(buildStart)
        #expect(parsed < 5, "parsing 10,000 rules took \(parsed) s")
        #expect(built < 5, "building a table of 10,000 routes took \(built) s")
        #expect(table.count == 10_000)
        #expect(table.hostIndexedCount == 10_000)

        var rng = SeededGenerator(seed: 42)
        for _ in 0..<2_000 {
            let i = Int.random(in: 0..<10_000, using: &rng)
            let path = i % 4 == 1 ? "/api/x" : "/"
            let request = req("svc\(i).example.com", path).request
            // Only the routes of that host are candidates: one, whatever the table size.
            #expect(table.candidateCount(for: request.host) == 1)
            #expect(table.match(request)?.target == i)
        }
        #expect(table.match(req("alt6.example.net").request)?.target == 6)
        #expect(table.match(req("www.svc7.example.com").request)?.target == 7)
        #expect(table.match(req("svc7.example.com", method: "TRACE").request) == nil)
        #expect(table.match(req("nowhere.example.com").request) == nil)
        #expect(table.candidateCount(for: "nowhere.example.com") == 0)
    }
}
