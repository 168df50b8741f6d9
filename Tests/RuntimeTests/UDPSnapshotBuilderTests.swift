import Config
import Logging
import Proxy
import Testing
@testable import Runtime

/// UDP routers and services turned into the snapshot's per-entry-point routes.
@Suite struct UDPSnapshotBuilderTests {
    let staticConfig = try! ConfigLoader.loadStatic(string: """
    entryPoints:
      web: {address: ":80"}
      dns: {address: ":5353/udp"}
      game: {address: ":27015/udp", udp: {timeout: 500ms}}
    """)

    func build(_ yaml: String) throws -> BuildResult {
        let builder = SnapshotBuilder(staticConfig: staticConfig, logger: Logger(label: "test"))
        return builder.build(try ConfigLoader.loadDynamic(string: yaml), generation: 1)
    }

    @Test("a router without entryPoints serves every UDP entry point, none of the TCP ones")
    func defaultEntryPoints() throws {
        let result = try build("""
        udp:
          routers:
            all: {service: dns}
          services:
            dns: {loadBalancer: {servers: [{address: "127.0.0.1:53"}, {address: "[::1]:53"}]}}
        """)
        #expect(Set(result.snapshot.udp.keys) == ["dns", "game"])
        let route = try #require(result.snapshot.udp["dns"])
        #expect(route.routerName == "all@file")
        #expect(route.service.name == "dns@file")
        #expect(Set((0..<4).compactMap { _ in route.service.nextServer()?.address }) == ["127.0.0.1:53", "[::1]:53"])
        #expect(result.activeRouters == 1)
        #expect(result.issues.isEmpty)
    }

    @Test("a router with a missing service, or on a TCP entry point, is disabled and reported")
    func disabledRouters() throws {
        let result = try build("""
        udp:
          routers:
            good: {service: dns, entryPoints: [dns]}
            orphan: {service: nowhere, entryPoints: [game]}
            wrong: {service: dns, entryPoints: [web]}
          services:
            dns: {loadBalancer: {servers: [{address: "127.0.0.1:53"}]}}
        """)
        #expect(Array(result.snapshot.udp.keys) == ["dns"])
        #expect(result.activeRouters == 1)
        #expect(result.disabledRouters == 2)
        #expect(result.issues.contains { $0.item.contains("orphan") && $0.message.contains("nowhere") })
        #expect(result.issues.contains { $0.item.contains("wrong") && $0.message.contains("web") })
    }

    @Test("several routers on one entry point: one is served (Traefik's choice: last by name), the others not")
    func severalRouters() throws {
        let result = try build("""
        udp:
          routers:
            alpha: {service: one, entryPoints: [dns]}
            beta: {service: two, entryPoints: [dns]}
          services:
            one: {loadBalancer: {servers: [{address: "127.0.0.1:1"}]}}
            two: {loadBalancer: {servers: [{address: "127.0.0.1:2"}]}}
        """)
        #expect(result.snapshot.udp["dns"]?.routerName == "beta@file")
        #expect(result.snapshot.udp["dns"]?.service.nextServer()?.port == 2)
    }

    @Test("weighted services of services are built; a weighted service naming a missing one is reported")
    func weighted() throws {
        let result = try build("""
        udp:
          routers:
            canary: {service: split, entryPoints: [dns]}
            broken: {service: bad, entryPoints: [game]}
          services:
            split: {weighted: {services: [{name: stable, weight: 3}, {name: next@file, weight: 1}]}}
            stable: {loadBalancer: {servers: [{address: "127.0.0.1:1"}]}}
            next: {loadBalancer: {servers: [{address: "127.0.0.1:2"}]}}
            bad: {weighted: {services: [{name: ghost}]}}
        """)
        let route = try #require(result.snapshot.udp["dns"])
        let ports = (0..<8).compactMap { _ in route.service.nextServer()?.port }
        #expect(ports.filter { $0 == 1 }.count == 6)
        #expect(ports.filter { $0 == 2 }.count == 2)
        #expect(result.snapshot.udp["game"] == nil)
        #expect(result.issues.contains { $0.item.contains("bad") })
        #expect(result.issues.contains { $0.item.contains("broken") })
    }

    @Test("the entry point's udp.timeout sets the session idle timeout (default 3 s)")
    func timeouts() {
        let builder = SnapshotBuilder(staticConfig: staticConfig, logger: Logger(label: "test"))
        #expect(builder.udpSettings(staticConfig.entryPoints["dns"]!).idleTimeout == .seconds(3))
        #expect(builder.udpSettings(staticConfig.entryPoints["game"]!).idleTimeout == .milliseconds(500))
    }
}
