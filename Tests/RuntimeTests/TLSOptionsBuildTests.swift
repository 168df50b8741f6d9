import Config
import Foundation
import Logging
import TLS
import Testing
@testable import Runtime

/// `tls.options` from a dynamic configuration to the certificate index: translation, router
/// mapping, conflicts and broken options.
@Suite struct TLSOptionsBuildTests {
    let builder: SnapshotBuilder

    init() throws {
        let staticConfig = try ConfigLoader.loadStatic(string: """
        entryPoints:
          websecure: {address: ":8443"}
          other: {address: ":9443"}
        """)
        builder = SnapshotBuilder(staticConfig: staticConfig, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    @Test("routers' hosts get their options per entry point; a shared host with different options gets the default")
    func mapping() throws {
        let dynamic = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            modern: {rule: "Host(`modern.test`) || Host(`Modern2.test.`)", service: s, tls: {options: strict}, entryPoints: [websecure]}
            plain: {rule: "Host(`plain.test`)", service: s, tls: {}}
            sharedA: {rule: "Host(`shared.test`) && PathPrefix(`/a`)", service: s, tls: {options: strict@file}, entryPoints: [websecure]}
            sharedB: {rule: "Host(`shared.test`) && PathPrefix(`/b`)", service: s, tls: {options: h1}, entryPoints: [websecure]}
            notls: {rule: "Host(`notls.test`)", service: s}
          services:
            s: {loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}}
        tcp:
          routers:
            sni: {rule: "HostSNI(`tcp.test`)", service: t, tls: {options: h1}, entryPoints: [other]}
          services:
            t: {loadBalancer: {servers: [{address: "127.0.0.1:1"}]}}
        tls:
          options:
            default: {minVersion: VersionTLS12, sniStrict: false}
            strict: {minVersion: VersionTLS13}
            h1: {alpnProtocols: [http/1.1]}
        """)
        let built = builder.build(dynamic, generation: 1)
        let index = built.certificates
        #expect(index.options(forServerName: "modern.test", entryPoint: "websecure")?.settings.minimumVersion == .tlsv13)
        #expect(index.options(forServerName: "modern2.test", entryPoint: "websecure")?.settings.minimumVersion == .tlsv13)
        #expect(index.options(forServerName: "modern.test", entryPoint: "other") == .builtInDefault)
        #expect(index.options(forServerName: "plain.test", entryPoint: "websecure") == .builtInDefault)
        #expect(index.options(forServerName: "shared.test", entryPoint: "websecure") == .builtInDefault)
        #expect(index.options(forServerName: "tcp.test", entryPoint: "other")?.settings.applicationProtocols == ["http/1.1"])
        let conflicts = built.issues.filter { $0.message.contains("found different TLS options") }
        #expect(conflicts.map(\.item) == ["host \"shared.test\""])
        #expect(built.disabledRouters == 0)
    }

    @Test("broken options are reported with their key path; their routers are disabled and their hosts refused")
    func broken() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-missing-\(UUID().uuidString).pem").path
        let dynamic = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            secure: {rule: "Host(`secure.test`)", service: s, tls: {options: mtls}}
            suites: {rule: "Host(`suites.test`)", service: s, tls: {options: suites}}
            open: {rule: "Host(`open.test`)", service: s, tls: {}}
          services:
            s: {loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}}
        tls:
          options:
            mtls:
              clientAuth: {caFiles: ["\(missing)"], clientAuthType: RequireAndVerifyClientCert}
            suites: {cipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_MADE_UP]}
            needsCA:
              clientAuth: {clientAuthType: VerifyClientCertIfGiven}
        """)
        let built = builder.build(dynamic, generation: 1)
        let items = Set(built.issues.map(\.item))
        #expect(items.isSuperset(of: ["tls.options.mtls", "tls.options.suites", "tls.options.needsCA", "router \"secure@file\"", "router \"suites@file\""]))
        let messages = built.issues.map(\.message).joined(separator: "\n")
        #expect(messages.contains("tls.options.mtls.clientAuth.caFiles[0]"))
        #expect(messages.contains("tls.options.suites.cipherSuites[1]"))
        #expect(messages.contains("tls.options.needsCA.clientAuth.clientAuthType"))
        #expect(built.activeRouters == 1)
        #expect(built.disabledRouters == 2)
        let index = built.certificates
        #expect(index.options(forServerName: "secure.test", entryPoint: "websecure") == nil)
        #expect(index.serverHandler(forServerName: "secure.test", entryPoint: "websecure") == nil)
        #expect(index.options(forServerName: "open.test", entryPoint: "websecure") == .builtInDefault)
    }

    @Test("broken default options refuse every connection they would cover and disable the routers using them")
    func brokenDefault() throws {
        let dynamic = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            implicit: {rule: "Host(`implicit.test`)", service: s, tls: {}}
            explicit: {rule: "Host(`explicit.test`)", service: s, tls: {options: default}}
            named: {rule: "Host(`named.test`)", service: s, tls: {options: good}}
            plain: {rule: "Host(`plain.test`)", service: s}
          services:
            s: {loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}}
        tls:
          options:
            default: {curvePreferences: [CurveP999]}
            good: {minVersion: VersionTLS13}
        """)
        let built = builder.build(dynamic, generation: 1)
        #expect(built.issues.map(\.message).joined().contains("tls.options.default.curvePreferences[0]"))
        #expect(built.activeRouters == 2)
        #expect(built.disabledRouters == 2)
        let index = built.certificates
        #expect(index.options(forServerName: "implicit.test", entryPoint: "websecure") == nil)
        #expect(index.options(forServerName: nil, entryPoint: "websecure") == nil)
        #expect(index.options(forServerName: "named.test", entryPoint: "websecure")?.settings.minimumVersion == .tlsv13)
        #expect(index.serverHandler(forServerName: "named.test", entryPoint: "websecure") != nil)
    }
}
