import Testing
@testable import Proxy

/// Which requests a mirroring service copies: a counter, as Traefik, not chance.
@Suite struct MirroringTests {
    private func service(_ name: String, port: Int) throws -> Service {
        Service(name: name, servers: [try Upstream(url: "http://127.0.0.1:\(port)", transport: UpstreamTransport())])
    }

    @Test("over 100 requests each mirror gets exactly its percent, spread evenly")
    func shares() throws {
        let main = try service("main", port: 9100)
        let mirroring = Mirroring(main: main, targets: [
            .init(service: try service("ten", port: 9101), percent: 10),
            .init(service: try service("half", port: 9102), percent: 50),
            .init(service: try service("none", port: 9103), percent: 0),
            .init(service: try service("all", port: 9104), percent: 100),
            .init(service: try service("third", port: 9105), percent: 33),
        ])
        var counts = [Int](repeating: 0, count: 5)
        var half: [Int] = []
        var ten: [Int] = []
        for request in 1...100 {
            for index in mirroring.nextCopies() {
                counts[index] += 1
                if index == 1 { half.append(request) }
                if index == 0 { ten.append(request) }
            }
        }
        #expect(counts == [10, 50, 0, 100, 33])
        #expect(half == Array(stride(from: 1, through: 99, by: 2)), "every other request")
        #expect(ten == Array(stride(from: 1, through: 91, by: 10)))
    }

    @Test("percent is clamped to 0–100; the main service answers and decides availability; maxBodySize -1 is no limit")
    func mainAndLimits() throws {
        let main = try service("main", port: 9110)
        let mirror = try service("mirror", port: 9111)
        let mirroring = Mirroring(main: main, targets: [.init(service: mirror, percent: 250)], maxBodySize: 10)
        #expect(mirroring.targets[0].percent == 100)
        #expect(mirroring.allowsBody(10) && !mirroring.allowsBody(11))
        #expect(Mirroring(main: main, targets: [], maxBodySize: -1).allowsBody(Int.max))
        let front = Service(name: "m", mirroring: mirroring)
        #expect(front.nextServer()?.url == "http://127.0.0.1:9110")
        #expect(front.mirroring === mirroring)
        main.nextServer()?.health.setActive(healthy: false)
        #expect(!front.isAvailable, "a mirroring service is as available as its main service")
    }

    @Test("a selection through nested services carries the mirroring it passed, the outermost one")
    func nested() throws {
        let inner = Mirroring(main: try service("main", port: 9120), targets: [.init(service: try service("a", port: 9121), percent: 100)])
        let mirrored = Service(name: "mirrored", mirroring: inner)
        let plain = try service("plain", port: 9122)
        let weighted = Service(name: "w", weighted: [(mirrored, 1), (plain, 1)])
        var seen: [String: Bool] = [:]
        for _ in 0..<4 {
            let selection = try #require(weighted.select([:]))
            seen[selection.upstream.url] = selection.mirroring === inner
        }
        #expect(seen == ["http://127.0.0.1:9120": true, "http://127.0.0.1:9122": false])
        let outer = Mirroring(main: mirrored, targets: [])
        #expect(Service(name: "outer", mirroring: outer).select([:])?.mirroring === outer)
        #expect(Service(name: "f", failoverFrom: mirrored, to: plain).select([:])?.mirroring === inner)
    }
}
