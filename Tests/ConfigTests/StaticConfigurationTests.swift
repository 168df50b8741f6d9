import Testing
@testable import Config

@Suite struct StaticConfigurationTests {
    @Test func builtinDefault() throws {
        let configuration = StaticConfiguration.builtinDefault
        #expect(configuration.entryPoints.keys.sorted() == ["web", "websecure"])
        #expect(try configuration.entryPoints["web"]?.parsedAddress == EntryPointAddress(host: nil, port: 80))
        #expect(try configuration.entryPoints["websecure"]?.parsedAddress == EntryPointAddress(host: nil, port: 443))
        #expect(configuration.providers == nil)
        #expect(configuration.log?.effectiveLevel == .info)
    }

    @Test func entryPointDefaults() {
        let entryPoint = EntryPoint(address: ":80")
        #expect(entryPoint.readTimeout == .seconds(60))
        #expect(entryPoint.writeTimeout == .zero)
        #expect(entryPoint.idleTimeout == .seconds(180))
        #expect(entryPoint.requestAcceptGraceTimeout == .zero)
        #expect(entryPoint.graceTimeOut == .seconds(10))
        #expect(entryPoint.maxConcurrentStreams == 250)
        #expect(entryPoint.maxHeaderBytes == 1_048_576)
        #expect(Log().effectiveLevel == .error)
        #expect(AccessLog().effectiveFormat == .common)
    }

    @Test(arguments: [
        (":80", EntryPointAddress(host: nil, port: 80)),
        ("127.0.0.1:8443", EntryPointAddress(host: "127.0.0.1", port: 8443)),
        ("[::]:443", EntryPointAddress(host: "::", port: 443)),
        (":5353/udp", EntryPointAddress(host: nil, port: 5353, transport: .udp)),
        ("localhost:8080/tcp", EntryPointAddress(host: "localhost", port: 8080)),
        ("[::1]:53/UDP", EntryPointAddress(host: "::1", port: 53, transport: .udp)),
        (":0", EntryPointAddress(host: nil, port: 0)),
    ])
    func parsesAddresses(text: String, expected: EntryPointAddress) throws {
        #expect(try EntryPointAddress(parsing: text) == expected)
    }

    @Test(arguments: ["80", ":http", ":70000", "::1:80", "[::1:80", ":80/sctp", "", "host:", "[zz]:80", "a b:80"])
    func rejectsBadAddresses(text: String) {
        let error = expectConfigError { _ = try EntryPointAddress(parsing: text) }
        #expect(error?.kind == .invalidValue)
        #expect(error?.message.contains("invalid entry point address") == true)
    }

    @Test func addressDescriptionRoundTrips() throws {
        for text in [":80", "127.0.0.1:8443", "[::]:443", ":5353/udp"] {
            #expect(try EntryPointAddress(parsing: text).description == text)
        }
    }

    @Test func badEntryPointAddressFailsTheLoadWithItsLocation() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadStatic(string: """
            entryPoints:
              web:
                address: ":80"
              websecure:
                address: "443"
            """, fileName: "traefik.yml")
        })
        #expect(error.kind == .invalidValue)
        #expect(error.keyPath == "entryPoints.websecure.address")
        #expect(error.file == "traefik.yml")
        #expect(error.line == 5)
        #expect(error.message.contains("missing port"))
    }

    @Test func fullStaticConfiguration() throws {
        let configuration = try ConfigLoader.loadStatic(string: """
        global: {checkNewVersion: false, sendAnonymousUsage: false}
        entryPoints:
          web:
            address: ":80"
            http:
              redirections:
                entryPoint: {to: websecure, scheme: https, permanent: false, priority: 10}
          websecure:
            address: ":443"
            asDefault: true
            http:
              middlewares: [hsts@file]
              tls: {certResolver: le, domains: [{main: example.com, sans: ["*.example.com"]}]}
              maxHeaderBytes: 65536
            http2: {maxConcurrentStreams: 100}
            forwardedHeaders: {trustedIPs: [10.0.0.0/8], insecure: false}
            proxyProtocol: {trustedIPs: [127.0.0.1]}
            transport:
              respondingTimeouts: {readTimeout: 30s, writeTimeout: 0s, idleTimeout: 3m}
              lifeCycle: {requestAcceptGraceTimeout: 1s, graceTimeOut: 5s}
              keepAliveMaxRequests: 100
              keepAliveMaxTime: 1h
        providers:
          providersThrottleDuration: 5s
          file: {filename: /etc/dyn.yml, watch: false}
        log: {level: warning, format: json, noColor: true}
        accessLog:
          filePath: /var/log/access.log
          format: json
          bufferingSize: 100
          filters: {statusCodes: ["400-499"], retryAttempts: true, minDuration: 10ms}
          fields:
            defaultMode: keep
            names: {ClientUsername: drop}
            headers: {defaultMode: drop, names: {User-Agent: redact}}
        api: {dashboard: true, basePath: /admin}
        ping:
        metrics:
          prometheus: {addEntryPointsLabels: true, buckets: [0.1, 0.3]}
        serversTransport:
          insecureSkipVerify: true
          maxIdleConnsPerHost: 50
          forwardingTimeouts: {dialTimeout: 5s}
        certificatesResolvers:
          le:
            acme:
              email: a@example.com
              keyType: EC256
              eab: {kid: k, hmacEncoded: h}
              certificatesDuration: 24
              profile: shortlived
              caCertificates: [/ca.pem]
              dnsChallenge:
                provider: rfc2136
                resolvers: ["1.1.1.1:53"]
                propagation: {delayBeforeChecks: 2s, disableChecks: false, requireAllRNS: true, disableANSChecks: true}
          alpn:
            acme:
              tlsChallenge:
        """)
        let websecure = try #require(configuration.entryPoints["websecure"])
        #expect(websecure.http?.tls?.domains?.first?.allNames == ["example.com", "*.example.com"])
        #expect(websecure.maxConcurrentStreams == 100)
        #expect(websecure.maxHeaderBytes == 65536)
        #expect(websecure.readTimeout == .seconds(30))
        #expect(websecure.idleTimeout == .minutes(3))
        #expect(websecure.transport?.keepAliveMaxTime == .hours(1))
        #expect(configuration.entryPoints["web"]?.http?.redirections?.entryPoint?.effectivePriority == 10)
        #expect(configuration.providers?.effectiveProvidersThrottleDuration == .seconds(5))
        #expect(configuration.providers?.file?.effectiveWatch == false)
        #expect(configuration.log?.level == .warn)
        #expect(configuration.log?.format == .json)
        #expect(configuration.accessLog?.fields?.names == ["ClientUsername": .drop])
        #expect(configuration.accessLog?.fields?.headers?.names == ["User-Agent": .redact])
        #expect(configuration.accessLog?.filters?.minDuration == .milliseconds(10))
        #expect(configuration.ping == Ping())
        #expect(configuration.metrics?["prometheus"]?["addEntryPointsLabels"] == .bool(true))
        #expect(configuration.serversTransport?.effectiveMaxIdleConnsPerHost == 50)
        let le = try #require(configuration.certificatesResolvers["le"]?.acme)
        #expect(le.effectiveCAServer == CertificatesResolver.ACME.defaultCAServer)
        #expect(le.eab?.kid == "k")
        #expect(le.dnsChallenge?.propagation?.requireAllRNS == true)
        #expect(configuration.certificatesResolvers["alpn"]?.acme?.tlsChallenge != nil)
        #expect(configuration.certificatesResolvers["alpn"]?.acme?.httpChallenge == nil)
    }

    @Test func dynamicKeysInStaticFileAreExplained() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadStatic(string: "http:\n  routers: {}\n")
        })
        #expect(error.message.contains("dynamic configuration"))
    }
}

@Suite struct StaticValidationTests {
    @Test func fixtureAndDefaultAreValid() throws {
        #expect(StaticConfiguration.builtinDefault.validate().isEmpty)
        #expect(try ConfigLoader.loadStatic(file: Fixtures.path("acme-static.yml")).validate().isEmpty)
    }

    @Test func findsBrokenReferences() throws {
        let configuration = try ConfigLoader.loadStatic(string: """
        entryPoints:
          web:
            address: ":80"
            http:
              redirections: {entryPoint: {to: websecur}}
          websecure:
            address: ":443"
            http: {tls: {certResolver: nope}}
          again:
            address: "0.0.0.0:8080"
          same:
            address: "0.0.0.0:8080"
          port:
            address: ":81"
            http:
              redirections: {entryPoint: {to: ":443"}}
              maxHeaderBytes: 0
        certificatesResolvers:
          none: {acme: {email: a@example.com}}
          http: {acme: {httpChallenge: {entryPoint: webb}}}
        providers:
          file: {watch: true}
        """)
        let issues = configuration.validate()
        let paths = issues.map(\.keyPath).sorted()
        #expect(paths == [
            "certificatesResolvers.http.acme.httpChallenge.entryPoint",
            "certificatesResolvers.none.acme",
            "entryPoints.port.http.maxHeaderBytes",
            "entryPoints.same.address",
            "entryPoints.web.http.redirections.entryPoint.to",
            "entryPoints.websecure.http.tls.certResolver",
            "providers.file",
        ], "\(issues)")
    }

    @Test func routerCertResolverIsCheckedWhenNamesAreGiven() throws {
        let configuration = try ConfigLoader.loadDynamic(file: Fixtures.path("zos-name-proxy.yaml"))
        #expect(configuration.validate(entryPointNames: []).isEmpty)
        #expect(configuration.validate(entryPointNames: [], certResolverNames: ["dnsresolver"]).isEmpty)
        let issues = configuration.validate(entryPointNames: [], certResolverNames: ["dnsresolvr"])
        #expect(issues.map(\.message) == [#"unknown certificate resolver "dnsresolver"; did you mean "dnsresolvr"?"#])
        #expect(issues.first?.keyPath == "http.routers.37-1976-workloadname-route.tls.certResolver")
    }
}
