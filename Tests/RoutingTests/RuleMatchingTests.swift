import Testing
@testable import Routing

/// (rule, request, expected) for every matcher, combinator and normalisation.
struct RuleMatchingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        let request: RequestSpec
        let expected: Bool
        var testDescription: String { "\(rule) on \(request) → \(expected)" }
    }

    static func c(_ rule: String, _ request: RequestSpec, _ expected: Bool) -> Case {
        Case(rule: rule, request: request, expected: expected)
    }

    static let hostCases: [Case] = [
        c("Host(`example.com`)", req("example.com"), true),
        c("Host(`example.com`)", req("EXAMPLE.COM"), true),
        c("Host(`Example.COM`)", req("example.com"), true),
        c("Host(`example.com`)", req("example.com:8080"), true),
        c("Host(`example.com`)", req("Example.com:443"), true),
        c("Host(`example.com`)", req("example.com."), true),
        c("Host(`example.com`)", req("example.com.:8443"), true),
        c("Host(`example.com.`)", req("example.com"), true),
        c("Host(`example.com`)", req(" example.com "), true),
        c("Host(`example.com`)", req("www.example.com"), false),
        c("Host(`example.com`)", req("example.co"), false),
        c("Host(`example.com`)", req("example.com.evil"), false),
        c("Host(`example.com`)", req(""), false),
        c("Host(`*.example.com`)", req("a.example.com"), false),
        c("Host(`127.0.0.1`)", req("127.0.0.1:8080"), true),
        c("Host(`[::1]`)", req("[::1]:8443"), true),
        c("Host(`::1`)", req("[::1]"), true),
        c("Host(`2001:db8::1`)", req("[2001:DB8::1]:443"), true),
        c("Host(`2001:db8::1`)", req("2001:db8::1"), true),
        c("Host(`[2001:db8::1]`)", req("[2001:db8::2]"), false),
        // Internationalised names: rules and requests meet in punycode.
        c("Host(`bücher.example`)", req("xn--bcher-kva.example"), true),
        c("Host(`bücher.example`)", req("bücher.example"), true),
        c("Host(`bücher.example`)", req("BÜCHER.example:443"), true),
        c("Host(`Bücher.Example`)", req("XN--BCHER-KVA.EXAMPLE"), true),
        c("Host(`xn--bcher-kva.example`)", req("bücher.example"), true),
        c("Host(`bücher.example`)", req("bucher.example"), false),
        c("Host(`例え.テスト`)", req("xn--r8jz45g.xn--zckzah"), true),
    ]

    static let hostRegexpCases: [Case] = [
        c(#"HostRegexp(`^[a-z]+\.example\.com$`)"#, req("api.example.com"), true),
        c(#"HostRegexp(`^[a-z]+\.example\.com$`)"#, req("API.Example.com:8443"), true),
        c(#"HostRegexp(`^[a-z]+\.example\.com$`)"#, req("example.com"), false),
        c(#"HostRegexp(`^[a-z]+\.example\.com$`)"#, req("a.b.example.com"), false),
        c(#"HostRegexp(`^[A-Z]+\.EXAMPLE\.com$`)"#, req("api.example.com"), true),
        c("HostRegexp(`example`)", req("www.example.org"), true),
        c(#"HostRegexp(`^.+\.example\.com$`)"#, req("x.example.com:8080"), true),
        c(#"HostRegexp(`^(?P<sub>[a-z0-9-]+)\.example\.com$`)"#, req("my-app.example.com"), true),
        c(#"HostRegexp(`^(www\.)?example\.(com|org)$`)"#, req("example.org"), true),
        c(#"HostRegexp(`^(www\.)?example\.(com|org)$`)"#, req("www.example.net"), false),
        c(#"HostRegexp(`^xn--bcher-kva\.example$`)"#, req("bücher.example"), true),
    ]

    static let pathCases: [Case] = [
        c("Path(`/api`)", req("h", "/api"), true),
        c("Path(`/api`)", req("h", "/api?x=1"), true),
        c("Path(`/api`)", req("h", "/api/"), false),
        c("Path(`/api`)", req("h", "/API"), false),
        c("Path(`/api`)", req("h", "/ap%69"), true),
        c("Path(`/a b`)", req("h", "/a%20b"), true),
        c("Path(`/a%20b`)", req("h", "/a%20b"), true),
        c("Path(`/a%2Fb`)", req("h", "/a%2fb"), true),
        c("Path(`/a/b`)", req("h", "/a%2Fb"), false),
        c("Path(`/über`)", req("h", "/%C3%BCber"), true),
        c("Path(`/`)", req("h", "http://h.example/"), true),
        c("PathPrefix(`/api`)", req("h", "/api"), true),
        c("PathPrefix(`/api`)", req("h", "/apiv2"), true),
        c("PathPrefix(`/api`)", req("h", "/api/users?id=3"), true),
        c("PathPrefix(`/api`)", req("h", "/ap"), false),
        c("PathPrefix(`/api`)", req("h", "/"), false),
        c("PathPrefix(`/api`)", req("h", "/v1/api"), false),
        c("PathPrefix(`/api/`)", req("h", "/api"), false),
        c("PathPrefix(`/`)", req("h", "/anything/at/all"), true),
        c("PathPrefix(`/admin`)", req("h", "/%61dmin/panel"), true),
        c("PathPrefix(`/admin/`)", req("h", "/admin%2Fpanel"), false),
        c(#"PathRegexp(`^/v[0-9]+/users$`)"#, req("h", "/v12/users"), true),
        c(#"PathRegexp(`^/v[0-9]+/users$`)"#, req("h", "/v/users"), false),
        c(#"PathRegexp(`\.(jpg|png)$`)"#, req("h", "/img/a.png"), true),
        c(#"PathRegexp(`\.(jpg|png)$`)"#, req("h", "/img/a.PNG"), false),
        c(#"PathRegexp(`(?i)\.(jpg|png)$`)"#, req("h", "/img/a.PNG"), true),
        c("PathRegexp(`/users/[^/]+/posts`)", req("h", "/api/users/42/posts/7"), true),
    ]

    static let methodHeaderQueryCases: [Case] = [
        c("Method(`GET`)", req("h", method: "GET"), true),
        c("Method(`GET`)", req("h", method: "POST"), false),
        c("Method(`get`)", req("h", method: "GET"), true),
        c("Method(`PURGE`)", req("h", method: "PURGE"), true),
        c("Method(`BREW`)", req("h", method: "BREW"), true),
        c("Method(`BREW`)", req("h", method: "brew"), false),
        c("Header(`X-Env`, `prod`)", req("h", headers: [("X-Env", "prod")]), true),
        c("Header(`X-Env`, `prod`)", req("h", headers: [("x-env", "prod")]), true),
        c("Header(`x-env`, `prod`)", req("h", headers: [("X-ENV", "prod")]), true),
        c("Header(`X-Env`, `prod`)", req("h", headers: [("X-Env", "Prod")]), false),
        c("Header(`X-Env`, `prod`)", req("h", headers: [("X-Env", "dev"), ("X-Env", "prod")]), true),
        c("Header(`X-Env`, `prod`)", req("h", headers: [("X-Env", "prod, dev")]), false),
        c("Header(`X-Env`, `prod`)", req("h", headers: [("X-Other", "prod")]), false),
        c("Header(`X-Env`, `prod`)", req("h"), false),
        c("HeaderRegexp(`User-Agent`, `(?i)curl/`)", req("h", headers: [("User-Agent", "Curl/8.4.0")]), true),
        c("HeaderRegexp(`User-Agent`, `curl/`)", req("h", headers: [("User-Agent", "Mozilla/5.0")]), false),
        c("HeaderRegexp(`Content-Type`, `^application/json`)", req("h", headers: [("content-type", "application/json; charset=utf-8")]), true),
        c("Query(`mobile`, `true`)", req("h", "/?mobile=true"), true),
        c("Query(`mobile`, `true`)", req("h", "/?mobile=false"), false),
        c("Query(`mobile`, `true`)", req("h", "/p?a=1&mobile=true"), true),
        c("Query(`mobile`, `true`)", req("h", "/p?mobile=false&mobile=true"), true),
        c("Query(`mobile`, `true`)", req("h", "/p"), false),
        c("Query(`mobile`, `true`)", req("h", "/p?Mobile=true"), false),
        c("Query(`mobile`, `true`)", req("h", "/p?mobile=true#frag"), true),
        c("Query(`q`, `a b`)", req("h", "/s?q=a+b"), true),
        c("Query(`q`, `a b`)", req("h", "/s?q=a%20b"), true),
        c("Query(`a key`, `v`)", req("h", "/s?a%20key=v"), true),
        c("Query(`k`, `v`)", req("h", "/s?k=v;x=1"), false),
        c("Query(`k`, `v`)", req("h", "/s?k=%zz&k=v"), true),
        c("Query(`debug`)", req("h", "/?debug"), true),
        c("Query(`debug`)", req("h", "/?debug="), true),
        c("Query(`debug`)", req("h", "/?debug=1"), true),
        c("Query(`debug`)", req("h", "/?nodebug=1"), false),
        c("Query(`debug`)", req("h", "/?x=debug"), false),
        c("QueryRegexp(`id`, `^[0-9]+$`)", req("h", "/?id=42"), true),
        c("QueryRegexp(`id`, `^[0-9]+$`)", req("h", "/?id=abc"), false),
        c("QueryRegexp(`id`, `^[0-9]+$`)", req("h", "/?id=abc&id=7"), true),
        c("QueryRegexp(`id`)", req("h", "/?id=x"), true),
    ]

    static let clientIPCases: [Case] = [
        c("ClientIP(`10.0.0.0/8`)", req("h", ip: "10.1.2.3"), true),
        c("ClientIP(`10.0.0.0/8`)", req("h", ip: "11.0.0.1"), false),
        c("ClientIP(`10.0.0.0/8`)", req("h"), false),
        c("ClientIP(`10.0.0.0/8`)", req("h", ip: "::ffff:10.1.2.3"), true),
        c("ClientIP(`192.168.1.7`)", req("h", ip: "192.168.1.7"), true),
        c("ClientIP(`192.168.1.7`)", req("h", ip: "192.168.1.8"), false),
        c("ClientIP(`2400:cb00::/32`)", req("h", ip: "2400:cb00:1::5"), true),
        c("ClientIP(`2400:cb00::/32`)", req("h", ip: "2400:cb01::1"), false),
        c("ClientIP(`2400:cb00::/32`)", req("h", ip: "10.0.0.1"), false),
        c("ClientIP(`::1`)", req("h", ip: "::1"), true),
        c("ClientIP(`::1`)", req("h", ip: "127.0.0.1"), false),
        c("ClientIP(`0.0.0.0/0`)", req("h", ip: "203.0.113.9"), true),
        c("ClientIP(`::/0`)", req("h", ip: "2001:db8::1"), true),
        c("ClientIP(`::ffff:10.0.0.0/104`)", req("h", ip: "10.9.9.9"), true),
    ]

    static let combinatorCases: [Case] = [
        c("Host(`a.com`) && Path(`/x`)", req("a.com", "/x"), true),
        c("Host(`a.com`) && Path(`/x`)", req("a.com", "/y"), false),
        c("Host(`a.com`) && Path(`/x`)", req("b.com", "/x"), false),
        c("Host(`a.com`) || Host(`b.com`)", req("b.com"), true),
        c("Host(`a.com`) || Host(`b.com`)", req("c.com"), false),
        // && binds tighter than ||: a || (b && /x).
        c("Host(`a.com`) || Host(`b.com`) && Path(`/x`)", req("a.com", "/y"), true),
        c("Host(`a.com`) || Host(`b.com`) && Path(`/x`)", req("b.com", "/y"), false),
        c("Host(`a.com`) || Host(`b.com`) && Path(`/x`)", req("b.com", "/x"), true),
        c("Path(`/x`) && Host(`b.com`) || Host(`a.com`)", req("a.com", "/y"), true),
        c("(Host(`a.com`) || Host(`b.com`)) && Path(`/x`)", req("a.com", "/y"), false),
        c("(Host(`a.com`) || Host(`b.com`)) && Path(`/x`)", req("a.com", "/x"), true),
        c("!Host(`a.com`)", req("b.com"), true),
        c("!Host(`a.com`)", req("a.com"), false),
        c("!Host(`a.com`) && PathPrefix(`/api`)", req("b.com", "/api"), true),
        c("!Host(`a.com`) && PathPrefix(`/api`)", req("a.com", "/api"), false),
        c("!(Host(`a.com`) || Host(`b.com`))", req("c.com"), true),
        c("!(Host(`a.com`) || Host(`b.com`))", req("b.com"), false),
        c("!!Host(`a.com`)", req("a.com"), true),
        c("! Host(`a.com`) || Path(`/x`)", req("a.com", "/x"), true),
        c("Host(`a.com`) && !Method(`POST`)", req("a.com", method: "POST"), false),
        c("Host(`a.com`) && !Method(`POST`)", req("a.com", method: "GET"), true),
        c("((Host(`a.com`)))", req("a.com"), true),
        c("(Host(`a.com`) && (Path(`/x`) || Path(`/y`))) || (Host(`b.com`) && !PathPrefix(`/private`))", req("a.com", "/y"), true),
        c("(Host(`a.com`) && (Path(`/x`) || Path(`/y`))) || (Host(`b.com`) && !PathPrefix(`/private`))", req("b.com", "/private/k"), false),
        c("(Host(`a.com`) && (Path(`/x`) || Path(`/y`))) || (Host(`b.com`) && !PathPrefix(`/private`))", req("b.com", "/pub"), true),
        // Syntax variations.
        c("  Host( `a.com` )&&PathPrefix(\n`/x`)  ", req("a.com", "/x/1"), true),
        c("Host(\"a.com\") && Path(\"/x\")", req("a.com", "/x"), true),
        c(#"Header("X-Q", "say \"hi\"\t!")"#, req("h", headers: [("X-Q", "say \"hi\"\t!")]), true),
        c(#"Host("b\u00fccher.example")"#, req("xn--bcher-kva.example"), true),
        c("host(`a.com`) && PATHPREFIX(`/`) && Pathprefix(`/`)", req("a.com", "/"), true),
        c("Host(`a.com`) &&\n  PathPrefix(`/x`)", req("a.com", "/x"), true),
    ]

    @Test(arguments: hostCases)
    func host(_ c: Case) throws { try check(c) }

    @Test(arguments: hostRegexpCases)
    func hostRegexp(_ c: Case) throws { try check(c) }

    @Test(arguments: pathCases)
    func path(_ c: Case) throws { try check(c) }

    @Test(arguments: methodHeaderQueryCases)
    func methodHeaderQuery(_ c: Case) throws { try check(c) }

    @Test(arguments: clientIPCases)
    func clientIP(_ c: Case) throws { try check(c) }

    @Test(arguments: combinatorCases)
    func combinators(_ c: Case) throws { try check(c) }

    private func check(_ c: Case) throws {
        let rule = try Rule.parse(c.rule)
        #expect(rule.matches(c.request.request) == c.expected, "\(c.rule) on \(c.request)")
        #expect(rule.text == c.rule)
    }

    // MARK: TCP

    struct TCPCase: Sendable, CustomTestStringConvertible {
        let rule: String
        let serverName: String?
        let alpn: [String]
        let ip: String?
        let expected: Bool
        var testDescription: String { "\(rule) on sni=\(serverName ?? "-") alpn=\(alpn) ip=\(ip ?? "-") → \(expected)" }
    }

    static let tcpCases: [TCPCase] = [
        TCPCase(rule: "HostSNI(`*`)", serverName: nil, alpn: [], ip: nil, expected: true),
        TCPCase(rule: "HostSNI(`*`)", serverName: "a.com", alpn: [], ip: nil, expected: true),
        TCPCase(rule: "HostSNI(`remote.omar.grid.tf`)", serverName: "remote.omar.grid.tf", alpn: [], ip: nil, expected: true),
        TCPCase(rule: "HostSNI(`remote.omar.grid.tf`)", serverName: "REMOTE.omar.grid.tf.", alpn: [], ip: nil, expected: true),
        TCPCase(rule: "HostSNI(`remote.omar.grid.tf`)", serverName: "other.omar.grid.tf", alpn: [], ip: nil, expected: false),
        TCPCase(rule: "HostSNI(`remote.omar.grid.tf`)", serverName: nil, alpn: [], ip: nil, expected: false),
        TCPCase(rule: "HostSNI(`bücher.example`)", serverName: "xn--bcher-kva.example", alpn: [], ip: nil, expected: true),
        TCPCase(rule: #"HostSNIRegexp(`^.+\.grid\.tf$`)"#, serverName: "x.grid.tf", alpn: [], ip: nil, expected: true),
        TCPCase(rule: #"HostSNIRegexp(`^.+\.grid\.tf$`)"#, serverName: nil, alpn: [], ip: nil, expected: false),
        TCPCase(rule: "HostSNI(`a.com`) && ALPN(`h2`)", serverName: "a.com", alpn: ["h2", "http/1.1"], ip: nil, expected: true),
        TCPCase(rule: "HostSNI(`a.com`) && ALPN(`h2`)", serverName: "a.com", alpn: ["http/1.1"], ip: nil, expected: false),
        TCPCase(rule: "HostSNI(`*`) && ClientIP(`10.0.0.0/8`)", serverName: nil, alpn: [], ip: "10.2.3.4", expected: true),
        TCPCase(rule: "HostSNI(`*`) && ClientIP(`10.0.0.0/8`)", serverName: nil, alpn: [], ip: "192.0.2.1", expected: false),
        TCPCase(rule: "HostSNI(`a.com`) || HostSNI(`b.com`)", serverName: "b.com", alpn: [], ip: nil, expected: true),
        TCPCase(rule: "!HostSNI(`a.com`)", serverName: "b.com", alpn: [], ip: nil, expected: true),
    ]

    @Test(arguments: tcpCases)
    func tcp(_ c: TCPCase) throws {
        let rule = try Rule.parse(c.rule, kind: .tcp)
        let input = TCPRoutingInput(serverName: c.serverName, alpnProtocols: c.alpn, clientIP: c.ip.flatMap { IPAddress($0) })
        #expect(rule.matches(input) == c.expected)
        // A TCP rule never accepts an HTTP request.
        #expect(!rule.matches(req(c.serverName ?? "").request) || c.rule.hasPrefix("!"))
    }

    @Test func httpRulesAcceptNoConnection() throws {
        let rule = try Rule.parse("ClientIP(`10.0.0.0/8`) && Host(`a.com`)")
        #expect(!rule.matches(TCPRoutingInput(serverName: "a.com", clientIP: IPAddress("10.0.0.1"))))
    }

    // MARK: Rule metadata

    @Test(arguments: [
        ("Host(`a.com`)", ["a.com"] as [String]?),
        ("Host(`a.com`) || Host(`B.com`)", ["a.com", "b.com"]),
        ("(Host(`a.com`) || Host(`b.com`)) && PathPrefix(`/api`)", ["a.com", "b.com"]),
        ("Host(`a.com`) && PathPrefix(`/api`)", ["a.com"]),
        ("PathPrefix(`/`)", nil),
        ("!Host(`a.com`)", nil),
        ("Host(`a.com`) || PathPrefix(`/x`)", nil),
        ("Host(`a.com`) && Host(`b.com`)", []),
        ("(Host(`a.com`) || Host(`b.com`)) && (Host(`b.com`) || Host(`c.com`))", ["b.com"]),
        ("Host(`bücher.example`) && Method(`GET`)", ["xn--bcher-kva.example"]),
        ("HostRegexp(`a`) && Path(`/`)", nil),
    ])
    func requiredHosts(_ text: String, _ expected: [String]?) throws {
        let rule = try Rule.parse(text)
        #expect(rule.requiredHosts == expected.map(Set.init))
    }

    @Test func domainsListsEveryHost() throws {
        let rule = try Rule.parse("(Host(`a.com`) || Host(`b.com`)) && !Host(`c.com`) || Host(`a.com`)")
        #expect(rule.domains == ["a.com", "b.com", "c.com"])
        #expect(try Rule.parse("HostSNI(`x.grid.tf`)", kind: .tcp).domains == ["x.grid.tf"])
        #expect(try Rule.parse("PathPrefix(`/`)").domains.isEmpty)
    }

    @Test func defaultPriorityIsRuleLength() throws {
        #expect(try Rule.parse("Host(`a.com`)").defaultPriority == 13)
        #expect(try Rule.parse("Host(`é.com`)").defaultPriority == 14)
    }
}
