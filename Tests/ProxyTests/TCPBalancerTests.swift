import Testing
@testable import Proxy

/// Smooth weighted round robin over TCP servers and services.
@Suite struct TCPBalancerTests {
    func backend(_ port: Int, weight: Int = 1) throws -> TCPBackend {
        try TCPBackend(address: "127.0.0.1:\(port)", weight: weight)
    }

    @Test("weights 5:1:1 give exactly 5:1:1 in every window of 7, interleaved")
    func smoothSpread() throws {
        let balancer = TCPBalancer(name: "s", servers: [try backend(1, weight: 5), try backend(2), try backend(3)])
        let picks = (0..<70).map { _ in balancer.next()!.port }
        for window in stride(from: 0, to: 70, by: 7) {
            let slice = picks[window..<window + 7]
            #expect(slice.filter { $0 == 1 }.count == 5)
            #expect(slice.filter { $0 == 2 }.count == 1)
            #expect(slice.filter { $0 == 3 }.count == 1)
        }
        // Smooth: the heavy server never gets more than 3 in a row (nginx's sequence is a a b a c a a).
        #expect(Array(picks[0..<7]) == [1, 1, 2, 1, 3, 1, 1])
    }

    @Test("weight 0 is never chosen; all zero chooses nothing")
    func zeroWeight() throws {
        let balancer = TCPBalancer(name: "s", servers: [try backend(1, weight: 0), try backend(2)])
        #expect((0..<10).allSatisfy { _ in balancer.next()?.port == 2 })
        let none = TCPBalancer(name: "n", servers: [try backend(1, weight: 0)])
        #expect(none.next() == nil)
    }

    @Test("weighted services split by service weight, then by each service's own servers")
    func nested() throws {
        let a = TCPBalancer(name: "a", servers: [try backend(1), try backend(2)])
        let b = TCPBalancer(name: "b", servers: [try backend(3)])
        let top = TCPBalancer(name: "top", children: [.service(a, weight: 3), .service(b, weight: 1)])
        let picks = (0..<40).map { _ in top.next()!.port }
        #expect(picks.filter { $0 == 3 }.count == 10)
        #expect(picks.filter { $0 == 1 }.count == 15)
        #expect(picks.filter { $0 == 2 }.count == 15)
    }

    @Test(arguments: [
        ("10.0.0.5:443", "10.0.0.5", 443, true),
        ("[2a02:1802:5e::1]:9000", "2a02:1802:5e::1", 9000, true),
        ("backend.internal:25", "backend.internal", 25, false),
    ])
    func addresses(text: String, host: String, port: Int, resolved: Bool) throws {
        let server = try TCPBackend(address: text)
        #expect(server.host == host)
        #expect(server.port == port)
        #expect((server.resolvedAddress != nil) == resolved)
    }

    @Test(arguments: ["10.0.0.5", "2a02::1:443", "[::1]443", ":80", "host:0", "host:70000", "host:http"])
    func badAddresses(text: String) {
        #expect(throws: TCPAddressError.self) { try TCPBackend(address: text) }
    }
}
