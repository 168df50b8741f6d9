import NIOCore
import Testing
@testable import Proxy

@Suite struct UDPServerAddressTests {
    @Test(arguments: [
        ("10.0.0.5:53", "10.0.0.5", 53, true),
        ("[::1]:5353", "::1", 5353, true),
        ("dns.internal:53", "dns.internal", 53, false),
    ])
    func parses(address: String, host: String, port: Int, literal: Bool) throws {
        let server = try #require(UDPServer(address: address))
        #expect(server.host == host)
        #expect(server.port == port)
        #expect((server.resolvedAddress != nil) == literal)
        #expect(server.description == address)
    }

    @Test(arguments: ["", "10.0.0.5", ":53", "h:0", "h:70000", "[::1", "[::1]53", "::1:53", "h:port"])
    func rejects(address: String) {
        #expect(UDPServer(address: address) == nil)
    }
}

/// Weighted round robin over servers and over services, one pick per session.
@Suite struct UDPServiceTests {
    func server(_ port: Int, weight: Int = 1) -> UDPServer {
        UDPServer(address: "127.0.0.1:\(port)", weight: weight)!
    }

    @Test("servers are picked in turn, by weight")
    func weightedServers() {
        let service = UDPService(name: "s", servers: [server(1, weight: 3), server(2, weight: 1)])
        let picks = (0..<400).compactMap { _ in service.nextServer()?.port }
        #expect(picks.filter { $0 == 1 }.count == 300)
        #expect(picks.filter { $0 == 2 }.count == 100)
        // Smooth: the light server is never picked twice in a row.
        #expect(!zip(picks, picks.dropFirst()).contains { $0 == 2 && $1 == 2 })
    }

    @Test("equal weights alternate")
    func alternates() {
        let service = UDPService(name: "s", servers: [server(1), server(2)])
        let picks = (0..<6).compactMap { _ in service.nextServer()?.port }
        #expect(picks == [1, 2, 1, 2, 1, 2] || picks == [2, 1, 2, 1, 2, 1])
    }

    @Test("a weighted service splits by the children's weights, then each child by its own servers")
    func weightedServices() {
        let blue = UDPService(name: "blue", servers: [server(1), server(2)])
        let green = UDPService(name: "green", servers: [server(3)])
        let service = UDPService(name: "w", members: .services([(blue, 3), (green, 1)]))
        let picks = (0..<400).compactMap { _ in service.nextServer()?.port }
        #expect(picks.count == 400)
        #expect(picks.filter { $0 == 3 }.count == 100)
        #expect(picks.filter { $0 == 1 }.count == 150)
        #expect(picks.filter { $0 == 2 }.count == 150)
    }

    @Test("no server with a positive weight: no pick")
    func empty() {
        #expect(UDPService(name: "s", servers: []).nextServer() == nil)
        #expect(UDPService(name: "s", servers: [server(1, weight: 0)]).nextServer() == nil)
        let empty = UDPService(name: "e", servers: [])
        #expect(UDPService(name: "w", members: .services([(empty, 1)])).nextServer() == nil)
    }
}
