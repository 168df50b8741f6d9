import Certificates
import Config
import Foundation
import Testing
@testable import Runtime

/// From configuration to what the certificate manager acts on.
@Suite struct ACMESetupTests {
    @Test("routers ask for tls.domains sets, else their Host() names; equal sets merge; routers without a resolver ask nothing")
    func demands() throws {
        let dynamic = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            a:
              rule: Host(`a.example.com`) || Host(`www.a.example.com`)
              service: s
              tls: {certResolver: le}
            b:
              rule: Host(`www.a.example.com`) || Host(`A.example.com`)
              service: s
              tls: {certResolver: le}
            c:
              rule: Host(`c.example.com`)
              service: s
              tls:
                certResolver: le
                domains: [{main: example.com, sans: ["*.example.com"]}, {main: other.example}]
            d:
              rule: Host(`d.example.com`)
              service: s
              tls: {}
            e:
              rule: PathPrefix(`/`)
              service: s
              tls: {certResolver: le}
          services:
            s: {loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}}
        """)
        let demands = ACMESetup.demands(dynamic, entryPoints: [:])
        #expect(demands.map(\.names) == [["a.example.com", "www.a.example.com"], ["example.com", "*.example.com"], ["other.example"]])
        #expect(demands[0].routers == ["a@file", "b@file"])
        #expect(demands.allSatisfy { $0.resolver == "le" })
    }

    @Test("TCP routers that terminate TLS ask for their HostSNI names; passthrough routers ask nothing")
    func tcpDemands() throws {
        let dynamic = try ConfigLoader.loadDynamic(string: """
        tcp:
          routers:
            db:
              rule: HostSNI(`db.example.com`)
              service: s
              tls: {certResolver: le}
            mail:
              rule: HostSNI(`*`)
              service: s
              tls: {certResolver: le, domains: [{main: mail.example.com}]}
            through:
              rule: HostSNI(`through.example.com`)
              service: s
              tls: {certResolver: le, passthrough: "true"}
          services:
            s: {loadBalancer: {servers: [{address: "127.0.0.1:1"}]}}
        """)
        let demands = ACMESetup.demands(dynamic, entryPoints: [:])
        #expect(demands.map(\.names) == [["db.example.com"], ["mail.example.com"]])
        #expect(demands.map(\.routers) == [["db@file"], ["mail@file"]])
    }

    @Test("an entry point's http.tls.certResolver applies to routers on it without their own tls")
    func entryPointDefault() throws {
        let staticConfig = try ConfigLoader.loadStatic(string: """
        entryPoints:
          websecure:
            address: ":443"
            http: {tls: {certResolver: le}}
        certificatesResolvers:
          le: {acme: {email: ops@example.com, tlsChallenge: {}}}
        """)
        let dynamic = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            r: {rule: Host(`r.example.com`), service: s, entryPoints: [websecure]}
          services:
            s: {loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}}
        """)
        let demands = ACMESetup.demands(dynamic, entryPoints: staticConfig.entryPoints)
        #expect(demands.map(\.names) == [["r.example.com"]])
    }

    @Test("resolvers: challenge order, key type, private roots; a resolver with a bad field is left out with its key named")
    func resolvers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-acmesetup-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let staticConfig = try ConfigLoader.loadStatic(string: """
        entryPoints:
          web: {address: ":80"}
        certificatesResolvers:
          good:
            acme:
              email: ops@example.com
              caServer: https://ca.internal/dir
              keyType: RSA2048
              tlsChallenge: {}
              httpChallenge: {entryPoint: web}
          badmail:
            acme:
              email: "ops at example"
              httpChallenge: {entryPoint: web}
          badroot:
            acme:
              caCertificates: [\(directory.path)/missing.pem]
              httpChallenge: {entryPoint: web}
        """)
        let (resolvers, problems) = ACMESetup.resolvers(staticConfig, dnsProvider: nil)
        #expect(resolvers.map(\.name) == ["good"])
        let good = try #require(resolvers.first)
        #expect(good.challengeTypes.map(\.rawValue) == ["tls-alpn-01", "http-01"])
        #expect(good.keyType == .rsa2048)
        #expect(good.directoryURL == "https://ca.internal/dir")
        #expect(problems.contains { $0.hasPrefix("certificatesResolvers.badmail.acme.email:") })
        #expect(problems.contains { $0.hasPrefix("certificatesResolvers.badroot.acme.caCertificates[0]:") && $0.contains("missing.pem") })
    }
}
