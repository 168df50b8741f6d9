import Testing
@testable import Config

/// Items keep the provider they come from through a merge: qualified names, and references
/// resolved as Traefik does (a bare name is the referring item's own provider's).
@Suite struct ItemOriginsTests {
    /// A file configuration with a service `svc` and a router `apiRouter` recorded as the API's.
    static func merged() throws -> DynamicConfiguration {
        var configuration = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            crossProvider: {rule: "Host(`a.test`)", service: svc@api}
            bareToAPI: {rule: "Host(`b.test`)", service: svc}
            fileSuffixToAPI: {rule: "Host(`c.test`)", service: svc@file}
            missingAPI: {rule: "Host(`d.test`)", service: gone@api}
            otherProvider: {rule: "Host(`e.test`)", service: svc@docker}
            apiRouter: {rule: "Host(`f.test`)", service: svc}
            apiToFile: {rule: "Host(`g.test`)", service: local@file}
            apiBareToFile: {rule: "Host(`h.test`)", service: local}
          services:
            svc: {loadBalancer: {servers: [{url: "http://127.0.0.1:8080"}]}}
            local: {loadBalancer: {servers: [{url: "http://127.0.0.1:8081"}]}}
        """)
        configuration.origins[.httpService, "svc"] = .api
        for router in ["apiRouter", "apiToFile", "apiBareToFile"] {
            configuration.origins[.httpRouter, router] = .api
        }
        return configuration
    }

    func messages(_ issues: [ConfigIssue], _ router: String) -> [String] {
        issues.filter { $0.item == ConfigItem(kind: .httpRouter, name: router) }.map(\.message)
    }

    @Test("qualified names come from the recorded provider, file by default")
    func qualifiedNames() throws {
        let configuration = try Self.merged()
        #expect(configuration.qualifiedName(.httpService, "svc") == "svc@api")
        #expect(configuration.qualifiedName(.httpService, "local") == "local@file")
        #expect(configuration.qualifiedName(.httpRouter, "apiRouter") == "apiRouter@api")
        #expect(configuration.qualifiedName(.httpRouter, "crossProvider") == "crossProvider@file")
        // The same name in another kind is another item.
        #expect(configuration.qualifiedName(.tcpService, "svc") == "svc@file")
        #expect(configuration.origins.otherProviders == [.api])
        var reset = configuration.origins
        reset[.httpService, "svc"] = .file
        reset[.httpRouter, "apiRouter"] = .file
        reset[.httpRouter, "apiToFile"] = .file
        reset[.httpRouter, "apiBareToFile"] = .file
        #expect(reset == ItemOrigins() && reset.otherProviders.isEmpty)
    }

    @Test("references: bare means the referrer's provider; @file and @api name that provider's item")
    func resolution() throws {
        let origins = try Self.merged().origins
        #expect(origins.resolvedName("svc@api", kind: .httpService, from: .file) == "svc")
        #expect(origins.resolvedName("svc", kind: .httpService, from: .api) == "svc")
        #expect(origins.resolvedName("svc", kind: .httpService, from: .file) == nil)
        #expect(origins.resolvedName("svc@file", kind: .httpService, from: .api) == nil)
        #expect(origins.resolvedName("local", kind: .httpService, from: .file) == "local")
        #expect(origins.resolvedName("local@file", kind: .httpService, from: .api) == "local")
        #expect(origins.resolvedName("noop@internal", kind: .httpService, from: .file) == nil)
        #expect(origins.resolvedName("svc@docker", kind: .httpService, from: .file) == nil)
        // An item of no recorded provider is the file's: `gone@api` names nothing, `gone` is looked up.
        #expect(origins.resolvedName("gone@api", kind: .httpService, from: .file) == nil)
        #expect(origins.resolvedName("gone", kind: .httpService, from: .file) == "gone")
        #expect(ItemOrigins.qualifiedReference("svc", from: .api) == "svc@api")
        #expect(ItemOrigins.qualifiedReference("local@file", from: .api) == "local@file")
    }

    @Test("validation: a file router may use svc@api; a missing x@api, a bare name of the other provider and an unknown provider are errors")
    func validation() throws {
        let issues = try Self.merged().validate(entryPointNames: ["web"])
        #expect(messages(issues, "crossProvider").isEmpty)
        #expect(messages(issues, "apiRouter").isEmpty)
        #expect(messages(issues, "apiToFile").isEmpty)
        #expect(messages(issues, "bareToAPI") == [#"unknown service "svc"; there is "svc@api""#])
        #expect(messages(issues, "fileSuffixToAPI") == [#"unknown service "svc@file"; there is "svc@api""#])
        #expect(messages(issues, "apiBareToFile") == [#"unknown service "local"; there is "local@file""#])
        #expect(messages(issues, "missingAPI").count == 1)
        #expect(messages(issues, "missingAPI").first?.hasPrefix(#"unknown service "gone@api""#) == true)
        #expect(messages(issues, "otherProvider")
            == [#"service "svc@docker" refers to provider "docker", which Gatehouse does not have (only @file, @api and @internal)"#])
    }
}
