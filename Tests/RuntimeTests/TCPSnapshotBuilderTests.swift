import Config
import Logging
import Proxy
import Routing
import Testing
@testable import Runtime

/// TCP routers in the snapshot: per entry point, by TLS mode, with bad items disabled alone.
@Suite struct TCPSnapshotBuilderTests {
    func build(_ dynamicText: String) throws -> BuildResult {
        let staticConfig = try ConfigLoader.loadStatic(string: """
        entryPoints:
          web: {address: ":80"}
          websecure: {address: ":443"}
          smtp: {address: ":25"}
        """)
        let dynamic = try ConfigLoader.loadDynamic(string: dynamicText)
        return SnapshotBuilder(staticConfig: staticConfig, logger: Logger(label: "test")).build(dynamic, generation: 1)
    }

    @Test("the gateway-node spelling (loadbalancer, passthrough \"true\") gives a passthrough router on every entry point")
    func gatewayNodeFile() throws {
        let result = try build("""
        tcp:
          routers:
            37-2039-testname-route:
              rule: HostSNI(`remote.omar.grid.tf`)
              service: 37-2039-testname
              tls:
                passthrough: "true"
          services:
            37-2039-testname:
              loadbalancer:
                servers:
                  - address: 137.184.106.152:443
        """)
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.activeRouters == 1)
        for entryPoint in ["web", "websecure", "smtp"] {
            let routes = try #require(result.snapshot.entryPoints[entryPoint])
            let match = try #require(routes.tcp.secure.match(TCPRoutingInput(serverName: "remote.omar.grid.tf")))
            #expect(match.target.tls == .passthrough)
            #expect(match.target.service.next()?.description == "137.184.106.152:443")
            #expect(routes.tcp.secure.match(TCPRoutingInput(serverName: "other.grid.tf")) == nil)
            #expect(routes.forwardAtOnce == nil)
        }
    }

    @Test("bad rule, missing service, missing middleware and bad address each disable only their router")
    func perItemErrors() throws {
        let result = try build("""
        tcp:
          routers:
            good: {rule: "HostSNI(`a.test`)", service: app, tls: {}, entryPoints: [web, websecure]}
            badRule: {rule: "Host(`a.test`)", service: app, tls: {}}
            noService: {rule: "HostSNI(`b.test`)", service: nope, tls: {}}
            noMiddleware: {rule: "HostSNI(`c.test`)", service: app, middlewares: [gone], tls: {}}
            badServer: {rule: "HostSNI(`d.test`)", service: broken, tls: {}}
            smtp: {rule: "HostSNI(`*`)", service: mail, entryPoints: [smtp]}
          services:
            app: {loadBalancer: {servers: [{address: "127.0.0.1:9001"}]}}
            broken: {loadBalancer: {servers: [{address: "no-port"}]}}
            mail:
              weighted:
                services: [{name: app, weight: 1}, {name: app2, weight: 3}]
            app2: {loadBalancer: {servers: [{address: "127.0.0.1:9002"}], proxyProtocol: {version: 1}}}
        """)
        #expect(result.activeRouters == 2)
        #expect(result.disabledRouters == 4)
        let disabled = Set(result.issues.map(\.item))
        for name in ["badRule", "noService", "noMiddleware", "badServer"] {
            #expect(disabled.contains("tcp router \"\(name)@file\""), "\(result.issues)")
        }
        let web = try #require(result.snapshot.entryPoints["web"])
        #expect(web.tcp.secure.match(TCPRoutingInput(serverName: "a.test"))?.target.tls == .terminate)
        #expect(web.tcp.plain.count == 0)

        let smtp = try #require(result.snapshot.entryPoints["smtp"])
        let target = try #require(smtp.forwardAtOnce)
        #expect(target.routerName == "smtp@file")
        let ports = (0..<8).map { _ in target.service.next()!.port }
        #expect(ports.filter { $0 == 9002 }.count == 6)
        let viaApp2 = (0..<4).compactMap { _ in target.service.next() }.first { $0.port == 9002 }
        #expect(viaApp2?.transport.proxyProtocol == .v1)
    }

    @Test("serversTransports give dial timeout, termination delay and PROXY protocol; a service's own setting wins")
    func transports() throws {
        let result = try build("""
        tcp:
          routers:
            viaTransport: {rule: "HostSNI(`*`)", service: a, entryPoints: [web]}
            ownSetting: {rule: "HostSNI(`*`)", service: b, entryPoints: [smtp]}
          services:
            a: {loadBalancer: {servers: [{address: "127.0.0.1:1"}], serversTransport: pp}}
            b: {loadBalancer: {servers: [{address: "127.0.0.1:2"}], serversTransport: pp, proxyProtocol: {version: 1}, terminationDelay: 5s}}
          serversTransports:
            pp: {dialTimeout: 2s, terminationDelay: 250ms, proxyProtocol: {}}
        """)
        #expect(result.issues.isEmpty, "\(result.issues)")
        let a = try #require(result.snapshot.entryPoints["web"]?.forwardAtOnce?.service.next())
        #expect(a.transport.dialTimeout == .seconds(2))
        #expect(a.transport.terminationDelay == .milliseconds(250))
        #expect(a.transport.proxyProtocol == .v2)
        let b = try #require(result.snapshot.entryPoints["smtp"]?.forwardAtOnce?.service.next())
        #expect(b.transport.proxyProtocol == .v1)
        #expect(b.transport.terminationDelay == .seconds(5))
        #expect(b.transport.dialTimeout == .seconds(2))
    }
}
