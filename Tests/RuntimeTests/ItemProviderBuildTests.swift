import Config
import Logging
import Proxy
import Storage
import Testing
@testable import Runtime

/// Routes made through the admin API carry their provider through the merge and the build:
/// `expose-<host>@api` in route names, services (the values metrics and logs label with) and
/// build issues; file items stay `@file`; references cross providers only when they say so.
@Suite struct ItemProviderBuildTests {
    static let staticText = """
    entryPoints:
      web: {address: ":80"}
      websecure: {address: ":443"}
    """

    /// The file configuration `fileText` with the API routes `routes` merged in, built.
    func build(_ fileText: String, routes: [StoredRoute]) throws -> (DynamicConfiguration, BuildResult) {
        let file = try ConfigLoader.loadDynamic(string: fileText)
        let (merged, clashes) = APIRouteConfiguration.merge(APIRouteConfiguration.configuration(for: routes), into: file)
        #expect(clashes.isEmpty)
        let builder = SnapshotBuilder(staticConfig: try ConfigLoader.loadStatic(string: Self.staticText), logger: Logger(label: "test"))
        return (merged, builder.build(merged, generation: 1))
    }

    static func route(_ host: String, scheme: String = "http", passthrough: Bool = false) -> StoredRoute {
        StoredRoute(spec: ExposeSpec(host: host, scheme: scheme, backends: passthrough ? ["127.0.0.1:9443"] : ["http://127.0.0.1:9001"],
                                     tlsPassthrough: passthrough, entryPoints: [passthrough ? "websecure" : "web"]),
                    state: .active)
    }

    static let fileText = """
    http:
      routers:
        web: {rule: "Host(`web.test`)", service: app, entryPoints: [web]}
        usesAPI: {rule: "Host(`uses.test`)", service: expose-app-example-com@api, entryPoints: [web]}
        missingAPI: {rule: "Host(`missing.test`)", service: gone@api, entryPoints: [web]}
        bareToAPI: {rule: "Host(`bare.test`)", service: expose-app-example-com, entryPoints: [web]}
        weightedToAPI: {rule: "Host(`weighted.test`)", service: split, entryPoints: [web]}
      services:
        app: {loadBalancer: {servers: [{url: "http://127.0.0.1:9000"}]}}
        split: {weighted: {services: [{name: app, weight: 1}, {name: expose-app-example-com@api, weight: 1}]}}
    """

    @Test("the builder names API items @api and file items @file: routes, services, server health")
    func names() throws {
        let (merged, result) = try build(Self.fileText, routes: [Self.route("app.example.com"), Self.route("db.example.com", passthrough: true)])
        #expect(merged.provider(of: .httpRouter, "expose-app-example-com") == .api)
        #expect(merged.provider(of: .tcpService, "expose-db-example-com") == .api)
        #expect(merged.provider(of: .httpRouter, "web") == .file)

        let web = try #require(result.snapshot.entryPoints["web"])
        var services: [String: String] = [:]
        for route in web.plain.routes {
            guard case .forward(let service) = route.target.action else { continue }
            #expect(route.target.routerName == route.name)
            services[route.name] = service.name
        }
        #expect(services["expose-app-example-com@api"] == "expose-app-example-com@api")
        #expect(services["web@file"] == "app@file")
        // A file router may use an API service by its qualified name, directly or in a weighted service.
        #expect(services["usesAPI@file"] == "expose-app-example-com@api")
        #expect(services["weightedToAPI@file"] == "split@file")
        #expect(services.keys.sorted() == ["expose-app-example-com@api", "usesAPI@file", "web@file", "weightedToAPI@file"])

        let tcp = try #require(result.snapshot.entryPoints["websecure"]?.tcp.secure.routes)
        #expect(tcp.map(\.name) == ["expose-db-example-com@api"])
        #expect(tcp.first?.target.routerName == "expose-db-example-com@api")

        // Server health (and so the metrics labelled with it) is keyed by qualified service name.
        #expect(result.serverHealth["expose-app-example-com@api"]?.keys.sorted() == ["http://127.0.0.1:9001"])
        #expect(result.serverHealth["app@file"] != nil)
        #expect(!result.serverHealth.keys.contains { $0.hasPrefix("expose-") && $0.hasSuffix("@file") })
    }

    @Test("a missing x@api and a bare name of an API item disable the file router, with an error naming them")
    func references() throws {
        let (_, result) = try build(Self.fileText, routes: [Self.route("app.example.com")])
        let issues = Dictionary(result.issues.map { ($0.item, $0.message) }, uniquingKeysWith: { first, _ in first })
        let missing = try #require(issues[#"router "missingAPI@file""#], "\(result.issues)")
        #expect(missing.contains(#"unknown service "gone@api""#))
        let bare = try #require(issues[#"router "bareToAPI@file""#], "\(result.issues)")
        #expect(bare.contains(#"unknown service "expose-app-example-com"; there is "expose-app-example-com@api""#))
        #expect(result.disabledRouters == 2)
        #expect(result.issues.allSatisfy { !$0.item.contains("@api") }, "no API item is disabled: \(result.issues)")
        #expect(GatewayIssueNames.names(result.issues) == ["bareToAPI@file", "missingAPI@file"])
    }

    @Test("an API item's issue is named @api")
    func apiIssue() throws {
        // Port 99999 is refused by validation: the API's service and router are disabled.
        var route = Self.route("bad.example.com")
        route.spec.backends = ["http://127.0.0.1:99999"]
        let (_, result) = try build("http: {}", routes: [route])
        let items = result.issues.map(\.item)
        #expect(items.contains(#"router "expose-bad-example-com@api""#) || items.contains(#"service "expose-bad-example-com@api""#),
                "\(result.issues)")
        #expect(result.issues.compactMap(\.itemName).allSatisfy { $0 == "expose-bad-example-com@api" }, "\(result.issues)")
    }

    @Test("a name clash between the admin API and the file keeps the file's item and names both")
    func clash() throws {
        let file = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            expose-app-example-com: {rule: "Host(`other.test`)", service: s}
          services:
            s: {loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}}
        """)
        let api = APIRouteConfiguration.configuration(for: [Self.route("app.example.com")])
        let (merged, clashes) = APIRouteConfiguration.merge(api, into: file)
        #expect(merged.provider(of: .httpRouter, "expose-app-example-com") == .file)
        #expect(merged.provider(of: .httpService, "expose-app-example-com") == .api)
        #expect(clashes == [#"router "expose-app-example-com@api" of the admin API is also defined as "expose-app-example-com@file"; that one is used"#])
    }
}

/// The names of the items a list of build issues disabled, sorted.
private enum GatewayIssueNames {
    static func names(_ issues: [BuildIssue]) -> [String] {
        issues.compactMap(\.itemName).sorted()
    }
}
