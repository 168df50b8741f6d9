import TLS
import Testing

@Suite("server name → TLS options, as Traefik maps routers' hosts")
struct TLSOptionsAssignmentTests {
    let strict = TLSOptions(settings: TLSServerSettings(minimumVersion: .tlsv13))
    let http1 = TLSOptions(settings: TLSServerSettings(applicationProtocols: ["http/1.1"]))

    var choices: [String: TLSOptionsSelection.Choice] {
        ["strict": .options(strict), "http1": .options(http1)]
    }

    @Test("a name claimed with one options name gets those options; others get the default")
    func single() {
        var assignment = TLSOptionsAssignment()
        assignment.claim(serverName: "Secure.Example.COM.", entryPoint: "websecure", optionsName: "strict", router: "a@file")
        assignment.claim(serverName: "plain.example.com", entryPoint: "websecure", optionsName: nil, router: "b@file")
        let (selection, conflicts) = assignment.resolve(options: choices, defaultChoice: .options(.builtInDefault))
        #expect(conflicts.isEmpty)
        #expect(selection.choice(forServerName: "secure.example.com", entryPoint: "websecure") == .options(strict))
        #expect(selection.choice(forServerName: "SECURE.example.com.", entryPoint: "websecure") == .options(strict))
        #expect(selection.choice(forServerName: "plain.example.com", entryPoint: "websecure") == .options(.builtInDefault))
        #expect(selection.choice(forServerName: "other.example.com", entryPoint: "websecure") == .options(.builtInDefault))
        #expect(selection.choice(forServerName: nil, entryPoint: "websecure") == .options(.builtInDefault))
        // Per entry point: the same name elsewhere is not mapped.
        #expect(selection.choice(forServerName: "secure.example.com", entryPoint: "other") == .options(.builtInDefault))
    }

    @Test("two routers claiming one name with different options: default, and a conflict is reported")
    func conflict() {
        var assignment = TLSOptionsAssignment()
        assignment.claim(serverName: "shared.test", entryPoint: "websecure", optionsName: "strict", router: "a@file")
        assignment.claim(serverName: "shared.test", entryPoint: "websecure", optionsName: "http1", router: "b@file")
        assignment.claim(serverName: "mixed.test", entryPoint: "websecure", optionsName: "strict", router: "c@file")
        assignment.claim(serverName: "mixed.test", entryPoint: "websecure", optionsName: "default", router: "d@file")
        assignment.claim(serverName: "same.test", entryPoint: "websecure", optionsName: "strict", router: "e@file")
        assignment.claim(serverName: "same.test", entryPoint: "websecure", optionsName: "strict", router: "f@file")
        let (selection, conflicts) = assignment.resolve(options: choices, defaultChoice: .options(.builtInDefault))
        #expect(selection.choice(forServerName: "shared.test", entryPoint: "websecure") == .options(.builtInDefault))
        #expect(selection.choice(forServerName: "mixed.test", entryPoint: "websecure") == .options(.builtInDefault))
        #expect(selection.choice(forServerName: "same.test", entryPoint: "websecure") == .options(strict))
        #expect(conflicts.map(\.serverName) == ["mixed.test", "shared.test"])
        #expect(conflicts[1].routers == ["a@file", "b@file"])
        #expect(conflicts[1].optionsNames == ["http1", "strict"])
        #expect(conflicts[1].description.contains("so using the default TLS options instead"))
    }

    @Test("a name claimed with broken or unknown options is refused; wildcards claim nothing")
    func refused() {
        var assignment = TLSOptionsAssignment()
        assignment.claim(serverName: "broken.test", entryPoint: "websecure", optionsName: "broken", router: "a@file")
        assignment.claim(serverName: "*", entryPoint: "websecure", optionsName: "strict", router: "b@file")
        let (selection, _) = assignment.resolve(options: choices, defaultChoice: .options(.builtInDefault))
        #expect(selection.choice(forServerName: "broken.test", entryPoint: "websecure") == .refuse)
        #expect(selection.choice(forServerName: "anything.test", entryPoint: "websecure") == .options(.builtInDefault))
    }

    @Test("the index refuses, serves and picks options by the selection")
    func indexOptions() throws {
        let certificate = try makeServerCertificate(["secure.example.com", "plain.example.com"])
        var selection = TLSOptionsSelection()
        selection.set(.options(strict), forServerName: "secure.example.com", entryPoint: "websecure")
        selection.set(.refuse, forServerName: "broken.example.com", entryPoint: "websecure")
        let index = try CertificateIndex(certificates: [certificate], selection: selection)
        #expect(index.options(forServerName: "secure.example.com", entryPoint: "websecure") == strict)
        #expect(index.options(forServerName: "plain.example.com", entryPoint: "websecure") == .builtInDefault)
        #expect(index.options(forServerName: "broken.example.com", entryPoint: "websecure") == nil)
        #expect(index.sslContext(forServerName: "broken.example.com", entryPoint: "websecure") == nil)
        #expect(index.sslContext(forServerName: "secure.example.com", entryPoint: "websecure") != nil)
        #expect(index.sslContext(forServerName: nil, entryPoint: "websecure") != nil)
        #expect(index.rejected.isEmpty)
    }
}
