import Testing
@testable import Routing

/// The rules of /work/shared/fixtures/traefik/*.y*ml, copied verbatim, and the requests they are
/// written for.
struct FixtureRuleTests {
    // zos-name-proxy.yaml
    static let zosName = "Host(`workloadname.gent01.dev.grid.tf`)"
    // zos-fqdn-passthrough.yaml (tcp)
    static let zosPassthrough = "HostSNI(`remote.omar.grid.tf`)"
    // acme-dynamic.yml (quoted in YAML: the rule is the text inside the quotes)
    static let acmeExample = "Host(`example.com`)"
    // api-admin-middlewares.yml
    static let honeyAPI = "Host(`api.myhoneydue.com`) || Host(`myhoneydue.com`)"
    static let honeyAuth = "(Host(`api.myhoneydue.com`) || Host(`myhoneydue.com`)) && PathPrefix(`/api/auth`)"
    static let honeyAdmin = "Host(`admin.myhoneydue.com`)"

    @Test(arguments: [zosName, acmeExample, honeyAPI, honeyAuth, honeyAdmin])
    func httpFixtureRulesParse(_ text: String) throws {
        let rule = try Rule.parse(text)
        #expect(rule.requiredHosts != nil)
    }

    @Test func tcpFixtureRuleParses() throws {
        let rule = try Rule.parse(Self.zosPassthrough, kind: .tcp)
        #expect(rule.matches(TCPRoutingInput(serverName: "remote.omar.grid.tf")))
        #expect(!rule.matches(TCPRoutingInput(serverName: "omar.grid.tf")))
        #expect(!rule.matches(TCPRoutingInput(serverName: nil)))
    }

    @Test(arguments: [
        (zosName, req("workloadname.gent01.dev.grid.tf"), true),
        (zosName, req("workloadname.gent01.dev.grid.tf:443", "/x"), true),
        (zosName, req("other.gent01.dev.grid.tf"), false),
        (acmeExample, req("example.com", "/.well-known/acme-challenge/t"), true),
        (acmeExample, req("www.example.com"), false),
        (honeyAPI, req("api.myhoneydue.com", "/v1/items"), true),
        (honeyAPI, req("myhoneydue.com"), true),
        (honeyAPI, req("admin.myhoneydue.com"), false),
        (honeyAuth, req("myhoneydue.com", "/api/auth/login"), true),
        (honeyAuth, req("api.myhoneydue.com", "/api/auth"), true),
        (honeyAuth, req("myhoneydue.com", "/api/x"), false),
        (honeyAuth, req("admin.myhoneydue.com", "/api/auth/login"), false),
        (honeyAdmin, req("admin.myhoneydue.com", "/dashboard"), true),
        (honeyAdmin, req("api.myhoneydue.com"), false),
    ] as [(String, RequestSpec, Bool)])
    func fixtureRulesMatchTheirRequests(_ text: String, _ request: RequestSpec, _ expected: Bool) throws {
        #expect(try Rule.parse(text).matches(request.request) == expected)
    }

    @Test func honeydueRoutersRouteAsTraefikWould() throws {
        let table = RouteTable([
            Route(name: "api@file", rule: try Rule.parse(Self.honeyAPI), target: "api"),
            Route(name: "api-auth@file", rule: try Rule.parse(Self.honeyAuth), target: "api-auth"),
            Route(name: "admin@file", rule: try Rule.parse(Self.honeyAdmin), target: "admin"),
        ])
        // api-auth's rule is longer, so it has the higher default priority.
        #expect(table.match(req("myhoneydue.com", "/api/auth/login").request)?.name == "api-auth@file")
        #expect(table.match(req("api.myhoneydue.com", "/api/auth/refresh").request)?.target == "api-auth")
        #expect(table.match(req("myhoneydue.com", "/api/x").request)?.name == "api@file")
        #expect(table.match(req("admin.myhoneydue.com", "/api/auth/login").request)?.name == "admin@file")
        #expect(table.match(req("unknown.example").request) == nil)
        #expect(table.hostIndexedCount == 3)
    }
}
