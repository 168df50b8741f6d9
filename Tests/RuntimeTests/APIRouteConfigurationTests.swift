import Certificates
import Config
import Foundation
import Storage
import Testing
@testable import Runtime

/// The admin API's routes as dynamic configuration, and their merge with the file provider's.
@Suite struct APIRouteConfigurationTests {
    static func route(_ host: String, scheme: String = "https", passthrough: Bool = false, state: StoredRoute.State = .active,
                      names: [String]? = nil) -> StoredRoute {
        let needs = scheme == "https" && !passthrough
        return StoredRoute(spec: ExposeSpec(host: host, scheme: scheme, backends: passthrough ? ["10.0.0.1:443"] : ["http://10.0.0.1:80"],
                                            tlsPassthrough: passthrough, resolver: needs ? "le" : nil,
                                            entryPoints: [scheme == "http" ? "web" : "websecure"],
                                            certificateNames: needs ? (names ?? [host]) : []),
                           state: state)
    }

    @Test("active routes become routers and services; https ones ask their resolver for their names; prepared ones are not served")
    func configuration() throws {
        let routes = [
            Self.route("app.example.com"),
            Self.route("plain.example.com", scheme: "http"),
            Self.route("db.example.com", passthrough: true),
            Self.route("grafana.gw.example.com", names: ["*.gw.example.com"]),
            Self.route("next.example.com", state: .prepared),
        ]
        let dynamic = APIRouteConfiguration.configuration(for: routes)
        #expect(dynamic.http.routers.keys.sorted() == ["expose-app-example-com", "expose-grafana-gw-example-com", "expose-plain-example-com"])
        let app = try #require(dynamic.http.routers["expose-app-example-com"])
        #expect(app.rule == "Host(`app.example.com`)" && app.entryPoints == ["websecure"] && app.tls?.certResolver == "le")
        #expect(dynamic.http.routers["expose-plain-example-com"]?.tls == nil)
        #expect(dynamic.http.services["expose-app-example-com"]?.loadBalancer?.servers?.first?.url == "http://10.0.0.1:80")
        #expect(dynamic.tcp.routers["expose-db-example-com"]?.tls?.passthrough == true)
        #expect(dynamic.tcp.routers["expose-db-example-com"]?.rule == "HostSNI(`db.example.com`)")

        // The certificate manager's demands: the same names the expose operation asks for.
        let demands = ACMESetup.demands(dynamic, entryPoints: ["websecure": EntryPoint(address: ":443")])
        #expect(Set(demands.map(\.names)) == [["app.example.com"], ["*.gw.example.com"]])
        #expect(APIRouteConfiguration.demands(for: routes).map(\.names) == [["next.example.com"]])
        // Routers are named with their provider in the demands (and so in the certificate's logs and status reason).
        #expect(demands.flatMap(\.routers).sorted() == ["expose-app-example-com@api", "expose-grafana-gw-example-com@api"])
        #expect(APIRouteConfiguration.demands(for: routes).map(\.routers) == [["expose-next-example-com@api"]])
    }

    @Test("a prepared route's demand carries the request's challenge and DNS credential, for the record it creates")
    func demandCarriesChallenge() {
        var chosen = Self.route("dns.example.com", state: .prepared)
        chosen.spec.challenge = "dns-01"
        chosen.spec.dnsCredential = "bind"
        let demands = APIRouteConfiguration.demands(for: [chosen, Self.route("plain-choice.example.com", state: .prepared)])
        #expect(demands.map(\.challenge) == ["dns-01", nil])
        #expect(demands.map(\.dnsCredential) == ["bind", nil])
    }

    @Test("merged with the file provider's configuration; a name the file uses stays the file's")
    func merge() throws {
        let file = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            expose-app-example-com:
              rule: "Host(`other.test`)"
              service: s
            web:
              rule: "Host(`web.test`)"
              service: s
          services:
            s:
              loadBalancer:
                servers: [{url: "http://127.0.0.1:1"}]
        """, format: .yaml)
        let api = APIRouteConfiguration.configuration(for: [Self.route("app.example.com"), Self.route("b.example.com")])
        let (merged, clashes) = APIRouteConfiguration.merge(api, into: file)
        #expect(merged.http.routers["expose-app-example-com"]?.rule == "Host(`other.test`)")
        #expect(merged.http.routers["expose-b-example-com"] != nil && merged.http.routers["web"] != nil)
        #expect(clashes.count == 1 && clashes[0].contains("expose-app-example-com"))
    }

    @Test("the source merges the file's result with the routes it is given")
    func source() async {
        let source = APIRoutesSource()
        var file = DynamicConfiguration()
        file.http.routers["web"] = HTTPRouter(rule: "Host(`web.test`)", service: "s")
        await source.replaceRoutes([Self.route("app.example.com")])
        let first = source.initialLoad(DynamicLoadResult(configuration: file, files: ["f.yml"], errors: [], issues: []))
        #expect(first.configuration.http.routers.keys.sorted() == ["expose-app-example-com", "web"])
        #expect(first.files == ["f.yml"])
        #expect(source.fileConfiguration.http.routers.keys.sorted() == ["web"])
    }
}
