import Foundation
import Testing
@testable import Config

/// Every real-world Traefik file in the shared fixtures loads unchanged.
@Suite struct FixtureTests {
    static let staticFixtures: Set<String> = ["acme-static.yml"]

    @Test func fixturesArePresent() {
        #expect(Fixtures.traefikFiles == [
            "acme-dynamic.yml", "acme-static.yml", "api-admin-middlewares.yml",
            "zos-fqdn-passthrough.yaml", "zos-name-proxy.yaml",
        ])
    }

    @Test(arguments: Fixtures.traefikFiles)
    func everyFixtureLoads(name: String) throws {
        let path = Fixtures.path(name)
        if Self.staticFixtures.contains(name) {
            let configuration = try ConfigLoader.loadStatic(file: path)
            #expect(!configuration.entryPoints.isEmpty)
        } else {
            let configuration = try ConfigLoader.loadDynamic(file: path)
            #expect(!configuration.isEmpty)
            let issues = configuration.validate(entryPointNames: ["web", "websecure"])
            #expect(issues.isEmpty, "\(issues)")
        }
    }

    @Test func acmeStatic() throws {
        let configuration = try ConfigLoader.loadStatic(file: Fixtures.path("acme-static.yml"))
        let acme = try #require(configuration.certificatesResolvers["certctl"]?.acme)
        #expect(acme.caServer == "https://certctl.example.com:8443/acme/profile/prof-test/directory")
        #expect(acme.email == "ops@example.com")
        #expect(acme.storage == "/etc/traefik/acme-certctl.json")
        #expect(acme.httpChallenge?.entryPoint == "web")
        #expect(acme.tlsChallenge == nil)
        #expect(acme.dnsChallenge == nil)
        #expect(configuration.serversTransports["default"]?.rootCAs?.map(\.value) == ["/etc/traefik/certctl-bootstrap.crt"])
        #expect(configuration.api?.insecure == false)
        #expect(configuration.api?.effectiveDashboard == true)
        #expect(configuration.entryPoints["web"]?.address == ":80")
        #expect(try configuration.entryPoints["websecure"]?.parsedAddress == EntryPointAddress(host: nil, port: 443))
        #expect(configuration.providers == nil)
    }

    @Test func acmeDynamic() throws {
        let configuration = try ConfigLoader.loadDynamic(file: Fixtures.path("acme-dynamic.yml"))
        let router = try #require(configuration.http.routers["example-com"])
        #expect(router.rule == "Host(`example.com`)")
        #expect(router.entryPoints == ["websecure"])
        #expect(router.tls?.certResolver == "certctl")
        #expect(router.service == "example-com-backend")
        let lb = try #require(configuration.http.services["example-com-backend"]?.loadBalancer)
        #expect(lb.servers?.map(\.url) == ["http://localhost:8080"])
        #expect(lb.effectivePassHostHeader)
    }

    @Test func apiAdminMiddlewares() throws {
        let configuration = try ConfigLoader.loadDynamic(file: Fixtures.path("api-admin-middlewares.yml"))
        let http = configuration.http
        #expect(Set(http.routers.keys) == ["api", "api-auth", "admin"])
        let api = try #require(http.routers["api"])
        #expect(api.rule == "Host(`api.myhoneydue.com`) || Host(`myhoneydue.com`)")
        #expect(api.middlewares == ["security-headers", "rate-limit"])
        // `tls: {}` is present and empty, not absent.
        #expect(api.tls == RouterTLS())
        #expect(http.routers["admin"]?.middlewares == ["cloudflare-only", "admin-auth", "security-headers"])

        #expect(http.middlewares.mapValues(\.kindName) == [
            "rate-limit": "rateLimit", "auth-rate-limit": "rateLimit", "security-headers": "headers",
            "cloudflare-only": "ipAllowList", "admin-auth": "basicAuth",
        ])
        guard case .rateLimit(let rate) = http.middlewares["rate-limit"] else {
            Issue.record("rate-limit is not a rateLimit"); return
        }
        #expect(rate.average == 100)
        #expect(rate.period == .minutes(1))
        #expect(rate.burst == 200)
        guard case .headers(let headers) = http.middlewares["security-headers"] else {
            Issue.record("security-headers is not headers"); return
        }
        #expect(headers.stsSeconds == 63_072_000)
        #expect(headers.stsIncludeSubdomains == true)
        #expect(headers.stsPreload == true)
        #expect(headers.frameDeny == true)
        #expect(headers.contentTypeNosniff == true)
        #expect(headers.referrerPolicy == "strict-origin-when-cross-origin")
        #expect(headers.contentSecurityPolicy == "default-src 'self'")
        #expect(headers.customResponseHeaders == [
            "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Resource-Policy": "same-origin",
        ])
        guard case .ipAllowList(let allow) = http.middlewares["cloudflare-only"] else {
            Issue.record("cloudflare-only is not ipAllowList"); return
        }
        #expect(allow.sourceRange == ["173.245.48.0/20", "103.21.244.0/22", "2400:cb00::/32"])
        #expect(allow.effectiveRejectStatusCode == 403)
        guard case .basicAuth(let auth) = http.middlewares["admin-auth"] else {
            Issue.record("admin-auth is not basicAuth"); return
        }
        // The trailing comment is not part of the value; `$` signs are kept.
        #expect(auth.users == ["admin:$apr1$H6uskkkW$5ZFNT.MKp/uF5QZ.U5Pld0"])
        #expect(http.services["api"]?.loadBalancer?.servers?.first?.url == "http://10.43.167.83:8000")
        #expect(http.services["admin"]?.loadBalancer?.servers?.first?.url == "http://10.43.12.7:3000")
    }

    @Test func zosFQDNPassthrough() throws {
        let configuration = try ConfigLoader.loadDynamic(file: Fixtures.path("zos-fqdn-passthrough.yaml"))
        let router = try #require(configuration.tcp.routers["37-2039-testname-route"])
        #expect(router.rule == "HostSNI(`remote.omar.grid.tf`)")
        #expect(router.service == "37-2039-testname")
        // Written as the string "true".
        #expect(router.tls?.passthrough == true)
        // Written as `loadbalancer`.
        let lb = try #require(configuration.tcp.services["37-2039-testname"]?.loadBalancer)
        #expect(lb.servers?.map(\.address) == ["137.184.106.152:443"])
        #expect(configuration.http.isEmpty)
    }

    @Test func zosNameProxy() throws {
        let configuration = try ConfigLoader.loadDynamic(file: Fixtures.path("zos-name-proxy.yaml"))
        let router = try #require(configuration.http.routers["37-1976-workloadname-route"])
        #expect(router.rule == "Host(`workloadname.gent01.dev.grid.tf`)")
        #expect(router.service == "40-1976-workloadname")
        #expect(router.tls?.certResolver == "dnsresolver")
        #expect(router.tls?.domains == [Domain(main: nil, sans: ["*.gent01.dev.grid.tf"])])
        let lb = try #require(configuration.http.services["40-1976-workloadname"]?.loadBalancer)
        #expect(lb.servers?.map(\.url) == ["http://[2a02:1802:5e:0:1000::1]:9000"])
    }

    @Test func fixtureDirectoryLoadsAsOneDynamicConfiguration() throws {
        // The static file is not a dynamic one: it is reported, and the rest still merges.
        // toml/api-admin-middlewares.toml repeats every name of api-admin-middlewares.yml,
        // so those items are dropped and reported, naming both files.
        let result = try ConfigLoader.loadDynamic(directory: Fixtures.directory.path)
        #expect(result.files.count == 6)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.file?.hasSuffix("acme-static.yml") == true)
        #expect(result.errors.first?.message.contains("static configuration") == true)
        #expect(Set(result.configuration.http.routers.keys) == ["example-com", "37-1976-workloadname-route"])
        #expect(result.configuration.http.middlewares.isEmpty)
        #expect(result.configuration.tcp.routers.count == 1)
        #expect(result.issues.count == 10)
        for issue in result.issues {
            #expect(issue.files.count == 2)
            #expect(issue.files.allSatisfy { $0.contains("api-admin-middlewares") })
        }
        #expect(result.issues.contains { $0.item == ConfigItem(kind: .httpRouter, name: "api") })
    }
}
