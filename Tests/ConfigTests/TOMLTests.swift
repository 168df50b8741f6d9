import Testing
@testable import Config

@Suite struct TOMLTests {
    @Test func tomlEquivalentDecodesToTheSameModel() throws {
        let yaml = try ConfigLoader.loadDynamic(file: Fixtures.path("api-admin-middlewares.yml"))
        let toml = try ConfigLoader.loadDynamic(file: Fixtures.path("toml/api-admin-middlewares.toml"))
        #expect(toml == yaml)
    }

    @Test func staticTOML() throws {
        let configuration = try ConfigLoader.loadStatic(string: """
        [entryPoints.web]
        address = ":80"
        [entryPoints.web.http.redirections.entryPoint]
        to = "websecure"

        [entryPoints.websecure]
        address = ":443"
        asDefault = true
        [entryPoints.websecure.transport.respondingTimeouts]
        idleTimeout = "5m"

        [providers.file]
        directory = "/etc/gatehouse/dynamic"

        [log]
        level = "debug"

        [certificatesResolvers.le.acme]
        email = "ops@example.com"
        storage = "acme.json"
        [certificatesResolvers.le.acme.tlsChallenge]
        """, format: .toml)
        let redirect = try #require(configuration.entryPoints["web"]?.http?.redirections?.entryPoint)
        #expect(redirect.to == "websecure")
        #expect(redirect.effectiveScheme == "https")
        #expect(redirect.effectivePermanent)
        #expect(redirect.effectivePriority == Int.max - 1)
        #expect(configuration.entryPoints["websecure"]?.idleTimeout == .minutes(5))
        #expect(configuration.entryPoints["websecure"]?.asDefault == true)
        #expect(configuration.providers?.file?.directory == "/etc/gatehouse/dynamic")
        #expect(configuration.providers?.file?.effectiveWatch == true)
        #expect(configuration.log?.level == .debug)
        #expect(configuration.certificatesResolvers["le"]?.acme?.tlsChallenge != nil)
    }

    @Test func unknownKeyInTOMLHasLineNumber() throws {
        let text = """
        [http.routers.api]
        rule = "Host(`a`)"
        service = "api"

        [http.services.api.loadBalancer]
        passHostHeader = true
        [[http.services.api.loadBalancer.servers]]
        url = "http://a:1"
        [[http.services.api.loadBalancer.servers]]
        url = "http://b:1"
        wieght = 2
        """
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: text, format: .toml, fileName: "dyn.toml")
        })
        #expect(error.keyPath == "http.services.api.loadBalancer.servers[1].wieght")
        #expect(error.line == 11)
        #expect(error.suggestion == "weight")
    }

    @Test func tomlLinesForInlineTablesAndDottedKeys() throws {
        let text = """
        # comment
        http.routers.r = { rule = "Path(`/`)", service = "s", tls = { optionz = "x" } }
        """
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: text, format: .toml)
        })
        #expect(error.keyPath == "http.routers.r.tls.optionz")
        #expect(error.line == 2)
        #expect(error.suggestion == "options")

        let multiline = """
        [http.services.s.loadBalancer]
        servers = [
          { url = "http://a:1" },
          { url = "http://b:1", weigth = 1 },
        ]
        """
        let second = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: multiline, format: .toml)
        })
        #expect(second.keyPath == "http.services.s.loadBalancer.servers[1].weigth")
        #expect(second.line == 4)
    }

    @Test func tomlStringsWithHashesAndBracketsDoNotConfuseLines() throws {
        let text = """
        [http.routers.r]
        rule = "Path(`/#[x]`) && Host(`a`)" # trailing comment
        service = '''s'''
        middlewares = ["a#b", "c]"]
        bogus = 1
        """
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: text, format: .toml)
        })
        #expect(error.keyPath == "http.routers.r.bogus")
        #expect(error.line == 5)
    }

    @Test func tomlSyntaxError() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: "[http\nx = ", format: .toml, fileName: "bad.toml")
        })
        #expect(error.kind == .syntax)
        #expect(error.file == "bad.toml")
        #expect(error.line == 1)
    }

    @Test func tomlKeepsKeyOrderBySourceLine() throws {
        let node = try TOMLTreeReader.read("zeta = 1\nalpha = 2\nmid = 3\n", file: nil)
        guard case .map(let entries) = node.content else { Issue.record("not a map"); return }
        #expect(entries.map(\.key) == ["zeta", "alpha", "mid"])
        #expect(entries.map(\.line) == [1, 2, 3])
    }

    @Test func formatFromFileName() {
        #expect(ConfigFormat(fileName: "a.toml") == .toml)
        #expect(ConfigFormat(fileName: "A.TOML") == .toml)
        #expect(ConfigFormat(fileName: "a.yml") == .yaml)
        #expect(ConfigFormat(fileName: "a.yaml") == .yaml)
        #expect(ConfigFormat(fileName: "a.conf") == .yaml)
        #expect(ConfigFormat.isConfigFileName("x.yaml"))
        #expect(!ConfigFormat.isConfigFileName("x.json"))
    }
}
