import Testing
@testable import Config

@Suite struct StrictDecodingTests {
    @Test func unknownKeyNamesFileLinePathAndSuggestion() throws {
        let yaml = """
        http:
          routers:
            api:
              rulee: Host(`a.example`)
              service: api
        """
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: yaml, fileName: "dyn.yml")
        })
        #expect(error.kind == .unknownKey)
        #expect(error.file == "dyn.yml")
        #expect(error.line == 4)
        #expect(error.keyPath == "http.routers.api.rulee")
        #expect(error.suggestion == "rule")
        #expect(error.description ==
            #"unknown key http.routers.api.rulee (file dyn.yml, line 4); did you mean "rule"?"#)
    }

    @Test func unknownKeyInsideListElement() throws {
        let yaml = """
        http:
          services:
            web:
              loadBalancer:
                servers:
                  - url: http://a:1
                  - url: http://b:2
                    wieght: 3
        """
        let error = try #require(expectConfigError { _ = try ConfigLoader.loadDynamic(string: yaml) })
        #expect(error.keyPath == "http.services.web.loadBalancer.servers[1].wieght")
        #expect(error.line == 8)
        #expect(error.suggestion == "weight")
    }

    @Test func unknownTopLevelKeyWithoutSuggestion() throws {
        let error = try #require(expectConfigError { _ = try ConfigLoader.loadDynamic(string: "zzz: 1\n") })
        #expect(error.kind == .unknownKey)
        #expect(error.suggestion == nil)
        #expect(error.description == #"unknown key zzz (line 1)"#)
    }

    @Test func unknownMiddlewareTypeSuggestsCatalogueName() throws {
        let yaml = """
        http:
          middlewares:
            limit:
              ratelimt:
                average: 5
        """
        let error = try #require(expectConfigError { _ = try ConfigLoader.loadDynamic(string: yaml) })
        #expect(error.keyPath == "http.middlewares.limit.ratelimt")
        #expect(error.suggestion == "rateLimit")
        #expect(error.line == 4)
    }

    @Test func staticKeysInADynamicFileAreExplained() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "entryPoints:\n  web:\n    address: ':80'\n")
        })
        #expect(error.message.contains("static configuration"))
        #expect(error.line == 1)
    }

    @Test func unsupportedProviderIsExplained() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadStatic(string: "providers:\n  docker: {}\n")
        })
        #expect(error.kind == .unsupported)
        #expect(error.keyPath == "providers.docker")
    }

    @Test func wrongTypeNamesThePath() throws {
        let yaml = """
        http:
          routers:
            api:
              rule:
                host: example.com
        """
        let error = try #require(expectConfigError { _ = try ConfigLoader.loadDynamic(string: yaml, fileName: "x.yml") })
        #expect(error.kind == .typeMismatch)
        #expect(error.keyPath == "http.routers.api.rule")
        #expect(error.line == 5)
        #expect(error.message.contains("found a map"))
        #expect(error.description.contains("at http.routers.api.rule (file x.yml, line 5)"))
    }

    @Test func listWhereMapExpected() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "http:\n  routers:\n    - a\n")
        })
        #expect(error.kind == .typeMismatch)
        #expect(error.keyPath == "http.routers")
    }

    @Test func keysMatchCaseInsensitively() throws {
        let yaml = """
        HTTP:
          Routers:
            MyRouter:
              RULE: Host(`a.example`)
              entrypoints: [web]
              Service: svc
          services:
            svc:
              LOADBALANCER:
                passhostheader: "false"
                SERVERS:
                  - URL: http://127.0.0.1:8080
        """
        let configuration = try ConfigLoader.loadDynamic(string: yaml)
        // Names keep their case.
        let router = try #require(configuration.http.routers["MyRouter"])
        #expect(router.rule == "Host(`a.example`)")
        #expect(router.entryPoints == ["web"])
        #expect(router.service == "svc")
        let lb = try #require(configuration.http.services["svc"]?.loadBalancer)
        #expect(lb.passHostHeader == false)
        #expect(lb.servers?.first?.url == "http://127.0.0.1:8080")
    }

    @Test func sameKeyInTwoCasesIsADuplicate() throws {
        let yaml = """
        http:
          services:
            svc:
              loadBalancer:
                servers: [{url: "http://a:1"}]
              loadbalancer:
                servers: [{url: "http://b:1"}]
        """
        let error = try #require(expectConfigError { _ = try ConfigLoader.loadDynamic(string: yaml) })
        #expect(error.kind == .duplicateKey)
        #expect(error.line == 6)
    }

    @Test func exactDuplicateYAMLKeyIsAnError() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "http:\n  routers: {}\n  routers: {}\n")
        })
        #expect(error.kind == .duplicateKey)
    }

    @Test(arguments: [
        ("true", true), ("false", false), ("True", true), ("FALSE", false), ("\"true\"", true),
        ("'False'", false), ("1", true), ("0", false), ("\"1\"", true), ("t", true), ("F", false),
        ("yes", true), ("off", false),
    ])
    func booleansAcceptGoForms(text: String, expected: Bool) throws {
        let yaml = "tcp:\n  routers:\n    r:\n      rule: HostSNI(`*`)\n      service: s\n      tls:\n        passthrough: \(text)\n"
        let configuration = try ConfigLoader.loadDynamic(string: yaml)
        #expect(configuration.tcp.routers["r"]?.tls?.passthrough == expected)
    }

    @Test func badBooleanIsATypeError() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "tcp:\n  routers:\n    r:\n      tls:\n        passthrough: maybe\n")
        })
        #expect(error.kind == .typeMismatch)
        #expect(error.keyPath == "tcp.routers.r.tls.passthrough")
        #expect(error.line == 5)
    }

    @Test func integersMayBeStrings() throws {
        let yaml = """
        http:
          routers:
            r:
              rule: Path(`/`)
              service: s
              priority: "42"
          middlewares:
            m:
              rateLimit:
                average: "100"
                burst: 1_000
        """
        let configuration = try ConfigLoader.loadDynamic(string: yaml)
        #expect(configuration.http.routers["r"]?.priority == 42)
        guard case .rateLimit(let rate) = configuration.http.middlewares["m"] else {
            Issue.record("not a rateLimit"); return
        }
        #expect(rate.average == 100)
        #expect(rate.burst == 1000)
    }

    @Test func commaSeparatedStringIsAList() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            r:
              rule: Path(`/`)
              service: s
              entryPoints: web, websecure
        """)
        #expect(configuration.http.routers["r"]?.entryPoints == ["web", "websecure"])
    }

    @Test func emptyTLSIsDistinctFromAbsent() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            withEmpty: {rule: "Path(`/`)", service: s, tls: {}}
            withNull:
              rule: Path(`/`)
              service: s
              tls:
            without: {rule: "Path(`/`)", service: s}
        """)
        #expect(configuration.http.routers["withEmpty"]?.tls == RouterTLS())
        #expect(configuration.http.routers["withNull"]?.tls == RouterTLS())
        #expect(configuration.http.routers["without"]?.tls == nil)
    }

    @Test func serviceNeedsExactlyOneKind() throws {
        let none = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "http:\n  services:\n    s: {}\n")
        })
        #expect(none.kind == .missingValue)
        #expect(none.keyPath == "http.services.s")
        #expect(none.message.contains("loadBalancer"))

        let two = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: """
            http:
              services:
                s:
                  loadBalancer: {servers: [{url: "http://a:1"}]}
                  weighted: {services: [{name: x}]}
            """)
        })
        #expect(two.kind == .invalidValue)
        #expect(two.keyPath == "http.services.s")
        #expect(two.line == 5)
    }

    @Test func middlewareNeedsExactlyOneKind() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: """
            http:
              middlewares:
                m:
                  addPrefix: {prefix: /a}
                  stripPrefix: {prefixes: [/b]}
            """)
        })
        #expect(error.keyPath == "http.middlewares.m")
        #expect(error.message.contains("exactly one middleware type"))
    }

    @Test func deprecatedIPWhiteListReadsAsIPAllowList() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        http:
          middlewares:
            m:
              ipWhiteList:
                sourceRange: [10.0.0.0/8]
                ipStrategy: {depth: 2, excludedIPs: [192.168.0.1]}
        """)
        guard case .ipAllowList(let allow) = configuration.http.middlewares["m"] else {
            Issue.record("not ipAllowList"); return
        }
        #expect(allow.sourceRange == ["10.0.0.0/8"])
        #expect(allow.ipStrategy?.depth == 2)
    }

    @Test func everyMiddlewareKindDecodes() throws {
        let yaml = """
        http:
          middlewares:
            a: {addPrefix: {prefix: /api}}
            b: {stripPrefix: {prefixes: [/x, /y], forceSlash: false}}
            c: {stripPrefixRegex: {regex: ["/foo/[a-z0-9]+"]}}
            d: {replacePath: {path: /new}}
            e: {replacePathRegex: {regex: "^/old/(.*)", replacement: "/new/$1"}}
            f: {redirectScheme: {scheme: https, port: "8443", permanent: true}}
            g: {redirectRegex: {regex: "^http://a/(.*)", replacement: "https://b/$1"}}
            h: {headers: {accessControlAllowMethods: [GET, OPTIONS], accessControlMaxAge: 100, addVaryHeader: true}}
            i: {ipAllowList: {sourceRange: [127.0.0.1/32], rejectStatusCode: 404}}
            j: {rateLimit: {average: 1, period: 1s, sourceCriterion: {requestHeaderName: X-User}}}
            k: {inFlightReq: {amount: 10, sourceCriterion: {requestHost: true}}}
            l: {basicAuth: {users: ["u:p"], realm: r, removeHeader: true, headerField: X-User}}
            m: {digestAuth: {usersFile: /etc/digest}}
            n: {forwardAuth: {address: "http://auth", trustForwardHeader: true, authResponseHeaders: [X-User], tls: {insecureSkipVerify: true}, maxBodySize: 10, forwardBody: true, preserveLocationHeader: true}}
            o: {compress: {excludedContentTypes: [text/event-stream], minResponseBodyBytes: 100, encodings: [gzip], defaultEncoding: gzip}}
            p: {buffering: {maxRequestBodyBytes: 1000, retryExpression: "IsNetworkError() && Attempts() < 2"}}
            q: {retry: {attempts: 3, initialInterval: 100ms}}
            r: {circuitBreaker: {expression: "NetworkErrorRatio() > 0.5", checkPeriod: 10s, responseCode: 502}}
            s: {errors: {status: ["500-599"], service: err, query: "/{status}.html", statusRewrites: {"500-503": 500}}}
            t: {chain: {middlewares: [a, b]}}
            u: {contentType: {autoDetect: true}}
            v: {passTLSClientCert: {pem: true, info: {notAfter: true, subject: {commonName: true}, issuer: {country: true}}}}
            w: {grpcWeb: {allowOrigins: ["*"]}}
        """
        let configuration = try ConfigLoader.loadDynamic(string: yaml)
        let kinds = configuration.http.middlewares.mapValues(\.kindName)
        #expect(kinds.count == 23)
        #expect(Set(kinds.values).count == 23)
        guard case .retry(let retry) = configuration.http.middlewares["q"] else { Issue.record("q"); return }
        #expect(retry.initialInterval == .milliseconds(100))
        guard case .errors(let errors) = configuration.http.middlewares["s"] else { Issue.record("s"); return }
        #expect(errors.statusRewrites == ["500-503": 500])
        guard case .passTLSClientCert(let pass) = configuration.http.middlewares["v"] else { Issue.record("v"); return }
        #expect(pass.info?.subject?.commonName == true)
        #expect(configuration.http.middlewares["t"]?.referencedMiddlewares == ["a", "b"])
    }

    @Test func everyServiceKindDecodes() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        http:
          services:
            lb:
              loadBalancer:
                servers: [{url: "http://a:1", weight: 2, preservePath: true}]
                strategy: P2C
                sticky: {cookie: {name: s, secure: true, httpOnly: true, sameSite: lax, maxAge: 60}}
                healthCheck: {path: /health, interval: 10s, timeout: 3s, headers: {X-Probe: "1"}}
                passiveHealthCheck: {failureWindow: 5s, maxFailedAttempts: 3}
                responseForwarding: {flushInterval: "-1"}
                serversTransport: tr
            w: {weighted: {services: [{name: lb, weight: 3}], healthCheck: {}}}
            m: {mirroring: {service: lb, mirrors: [{name: lb, percent: 10}], maxBodySize: 1024}}
            f: {failover: {service: lb, fallback: w}}
          serversTransports:
            tr:
              serverName: backend.internal
              insecureSkipVerify: true
              rootCAs: [ca.pem]
              maxIdleConnsPerHost: 7
              forwardingTimeouts: {dialTimeout: 1s, responseHeaderTimeout: 2s, idleConnTimeout: 3s}
              certificates: [{certFile: c.pem, keyFile: k.pem}]
        """)
        let lb = try #require(configuration.http.services["lb"]?.loadBalancer)
        #expect(lb.strategy == .p2c)
        #expect(lb.servers?.first?.effectiveWeight == 2)
        #expect(lb.sticky?.cookie?.sameSite == "lax")
        #expect(lb.healthCheck?.effectiveInterval == .seconds(10))
        #expect(lb.healthCheck?.effectiveUnhealthyInterval == .seconds(10))
        #expect(lb.responseForwarding?.flushInterval == ConfigDuration(nanoseconds: -1_000_000_000))
        guard case .weighted(let weighted) = configuration.http.services["w"] else { Issue.record("w"); return }
        #expect(weighted.services == [HTTPService.WeightedService(name: "lb", weight: 3)])
        #expect(weighted.healthCheck != nil)
        guard case .mirroring(let mirroring) = configuration.http.services["m"] else { Issue.record("m"); return }
        #expect(mirroring.effectiveMirrorBody)
        #expect(mirroring.mirrors?.first?.percent == 10)
        #expect(configuration.http.services["f"]?.referencedServices == ["lb", "w"])
        let transport = try #require(configuration.http.serversTransports["tr"])
        #expect(transport.effectiveMaxIdleConnsPerHost == 7)
        #expect(transport.effectiveForwardingTimeouts.effectiveDialTimeout == .seconds(1))
        #expect(transport.effectiveForwardingTimeouts.effectivePingTimeout == .seconds(15))
        #expect(transport.certificates?.first?.keyFile?.value == "k.pem")
        #expect(configuration.validate(entryPointNames: []).isEmpty)
    }

    @Test func badEnumValueListsTheChoices() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "http:\n  services:\n    s:\n      loadBalancer:\n        strategy: random\n")
        })
        #expect(error.kind == .invalidValue)
        #expect(error.keyPath == "http.services.s.loadBalancer.strategy")
        #expect(error.message.contains("\"wrr\""))
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "http:\n  routers:\n    a: [unclosed\n", fileName: "bad.yml")
        })
        #expect(error.kind == .syntax)
        #expect(error.file == "bad.yml")
        #expect(error.line != nil)
    }

    @Test func yamlAnchorsAndMergeKeys() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            a: &base
              rule: Host(`a.example`)
              entryPoints: [websecure]
              service: api
              tls: {}
            b:
              <<: *base
              rule: Host(`b.example`)
        """)
        let b = try #require(configuration.http.routers["b"])
        #expect(b.rule == "Host(`b.example`)")
        #expect(b.entryPoints == ["websecure"])
        #expect(b.service == "api")
        #expect(b.tls == RouterTLS())
    }

    @Test func emptyDocumentIsEmptyConfiguration() throws {
        #expect(try ConfigLoader.loadDynamic(string: "").isEmpty)
        #expect(try ConfigLoader.loadDynamic(string: "# only a comment\n").isEmpty)
        #expect(try ConfigLoader.loadDynamic(string: "", format: .toml).isEmpty)
    }
}
