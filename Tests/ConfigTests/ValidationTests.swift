import Testing
@testable import Config

@Suite struct ValidationTests {
    static let base = """
    http:
      routers:
        api:
          rule: Host(`api.example`)
          entryPoints: [websecure, webz]
          service: missing-svc
          middlewares: [auth, nope@file, x@docker]
          tls: {options: strict}
        ok:
          rule: Host(`ok.example`)
          service: backend@file
          middlewares: [auth]
          tls: {options: default}
        dash:
          rule: Host(`dash.example`)
          service: api@internal
        norule:
          service: backend
      services:
        backend:
          loadBalancer:
            servers: [{url: "http://127.0.0.1:8080"}]
        empty:
          loadBalancer: {servers: []}
        bad-urls:
          loadBalancer:
            serversTransport: nosuch
            servers:
              - url: ftp://a
              - url: http://
              - url: http://10.0.0.256:80
              - url: "http://[::1:80"
              - url: http://a:99999
              - url: https://backend.internal:8443/base
              - url: "http://[2a02:1802:5e:0:1000::1]:9000"
        loop-a: {weighted: {services: [{name: loop-b}]}}
        loop-b: {failover: {service: loop-a, fallback: backend}}
      middlewares:
        auth: {basicAuth: {users: ["u:p"]}}
        c1: {chain: {middlewares: [c2]}}
        c2: {chain: {middlewares: [c1, ghost]}}
        err: {errors: {status: ["500"], service: nosvc}}
    """

    func issues() throws -> [ConfigIssue] {
        try ConfigLoader.loadDynamic(string: Self.base).validate(entryPointNames: ["web", "websecure"])
    }

    func messages(_ issues: [ConfigIssue], _ kind: ConfigItemKind, _ name: String) -> [String] {
        issues.filter { $0.item == ConfigItem(kind: kind, name: name) }.map { "\($0.keyPath): \($0.message)" }
    }

    @Test func routerReferences() throws {
        let issues = try issues()
        let api = messages(issues, .httpRouter, "api")
        #expect(api.contains(#"http.routers.api.service: unknown service "missing-svc""#))
        #expect(api.contains(#"http.routers.api.entryPoints[1]: unknown entry point "webz"; did you mean "web"?"#))
        #expect(api.contains(#"http.routers.api.middlewares[1]: unknown middleware "nope@file""#))
        #expect(api.contains { $0.hasPrefix("http.routers.api.middlewares[2]:") && $0.contains("provider \"docker\"") })
        #expect(api.contains(#"http.routers.api.tls.options: unknown TLS options "strict""#))
        #expect(api.count == 5)
        #expect(messages(issues, .httpRouter, "ok").isEmpty)
        #expect(messages(issues, .httpRouter, "dash").isEmpty)
        #expect(messages(issues, .httpRouter, "norule") == ["http.routers.norule.rule: missing rule"])
    }

    @Test func serviceChecks() throws {
        let issues = try issues()
        #expect(messages(issues, .httpService, "backend").isEmpty)
        #expect(messages(issues, .httpService, "empty") == ["http.services.empty.loadBalancer.servers: load balancer has no servers"])
        let bad = messages(issues, .httpService, "bad-urls")
        #expect(bad.contains(#"http.services.bad-urls.loadBalancer.serversTransport: unknown serversTransport "nosuch""#))
        for index in 0...4 {
            #expect(bad.contains { $0.hasPrefix("http.services.bad-urls.loadBalancer.servers[\(index)].url:") }, "server \(index)")
        }
        #expect(!bad.contains { $0.contains("servers[5]") || $0.contains("servers[6]") })
        #expect(bad.count == 6)
        #expect(messages(issues, .httpService, "loop-a").contains { $0.contains("refers back to itself") })
        #expect(messages(issues, .httpService, "loop-b").contains { $0.contains("refers back to itself") })
    }

    @Test func middlewareChecks() throws {
        let issues = try issues()
        #expect(messages(issues, .httpMiddleware, "auth").isEmpty)
        #expect(messages(issues, .httpMiddleware, "c2").contains(#"http.middlewares.c2.chain.middlewares[1]: unknown middleware "ghost""#))
        #expect(messages(issues, .httpMiddleware, "c1").contains { $0.contains("refers back to itself") })
        #expect(messages(issues, .httpMiddleware, "err") == [#"http.middlewares.err.errors.service: unknown service "nosvc""#])
        #expect(issues.allSatisfy { $0.severity == .error })
    }

    @Test func transportNamesFromElsewhereAreAccepted() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        http:
          services:
            s: {loadBalancer: {serversTransport: default, servers: [{url: "http://a:1"}]}}
        """)
        #expect(!configuration.validate(entryPointNames: []).isEmpty)
        #expect(configuration.validate(entryPointNames: [], serversTransportNames: ["default"]).isEmpty)
    }

    @Test func tcpAndUDPChecks() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        tcp:
          routers:
            t: {rule: "HostSNI(`*`)", service: nosvc, entryPoints: [dns], middlewares: [limit]}
            good: {rule: "HostSNI(`a`)", service: svc, tls: {passthrough: true}}
          services:
            svc: {loadBalancer: {servers: [{address: "10.0.0.1:443"}, {address: "10.0.0.1"}, {address: "[::1]:22"}]}}
          middlewares:
            limit: {inFlightConn: {amount: 10}}
        udp:
          routers:
            u: {service: dns-svc, entryPoints: [websecure]}
          services:
            dns-svc: {loadBalancer: {servers: [{address: "10.0.0.53:53"}]}}
            none: {loadBalancer: {}}
        """)
        let entryPoints = [
            "websecure": EntryPoint(address: ":443"),
            "dns": EntryPoint(address: ":53/udp"),
        ]
        let issues = configuration.validate(entryPoints: entryPoints)
        let text = issues.map(\.description)
        #expect(messages(issues, .tcpRouter, "t").sorted() == [
            #"tcp.routers.t.entryPoints[0]: entry point "dns" listens on udp, not tcp"#,
            #"tcp.routers.t.service: unknown TCP service "nosvc"; did you mean "svc"?"#,
        ], "\(text)")
        #expect(messages(issues, .tcpRouter, "good").isEmpty)
        #expect(messages(issues, .tcpService, "svc") == [
            #"tcp.services.svc.loadBalancer.servers[1].address: missing port in "10.0.0.1""#,
        ])
        #expect(messages(issues, .udpRouter, "u") == [
            #"udp.routers.u.entryPoints[0]: entry point "websecure" listens on tcp, not udp"#,
        ])
        #expect(messages(issues, .udpService, "none") == ["udp.services.none.loadBalancer.servers: load balancer has no servers"])
        #expect(issues.count == 5)
    }

    @Test func tlsChecks() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        tls:
          certificates:
            - certFile: a.pem
            - certFile: b.pem
              keyFile: b.key
              stores: [other]
          options:
            weird: {minVersion: VersionTLS13, maxVersion: VersionTLS12}
          stores:
            default:
              defaultCertificate: {certFile: d.pem, keyFile: d.key}
        """)
        let issues = configuration.validate(entryPointNames: [])
        #expect(issues.contains { $0.item == ConfigItem(kind: .tlsCertificate, name: "0") && $0.keyPath == "tls.certificates[0].keyFile" })
        #expect(issues.contains { $0.item == ConfigItem(kind: .tlsCertificate, name: "1") && $0.severity == .warning })
        #expect(issues.contains { $0.item == ConfigItem(kind: .tlsOptions, name: "weird") })
        #expect(issues.count == 3)
    }

    @Test func badTLSVersionIsADecodeError() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "tls:\n  options:\n    o:\n      minVersion: TLS1.2\n")
        })
        #expect(error.keyPath == "tls.options.o.minVersion")
        #expect(error.line == 4)
    }

    @Test(arguments: [
        ("http://a", true), ("https://a.example.com:443/x?y=1", true), ("h2c://grpc:50051", true),
        ("http://127.0.0.1:8080", true), ("http://[::1]:80", true), ("HTTP://A", true),
        ("http://[fe80::1%25eth0]:80", true), ("http://user@a", false), ("a:80", false),
        ("http://a:", false), ("http://a:0", false), ("http://-bad-", false), ("http://a b", false),
        ("ws://a", false), ("http://1.2.3", false),
    ])
    func serverURLs(url: String, valid: Bool) {
        #expect((BackendAddress.problem(withServerURL: url) == nil) == valid, "\(url)")
    }
}
