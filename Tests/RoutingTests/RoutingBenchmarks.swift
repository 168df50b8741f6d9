import Foundation
import NIOHTTP1
import Testing
@testable import Routing

/// Rough timings of the request path. Off by default; run in release:
///
///     ROUTING_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter RoutingBenchmarks
///
/// They print nanoseconds per operation and assert nothing about speed.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ROUTING_BENCH"] != nil))
struct RoutingBenchmarks {
    @inline(never)
    func measure(_ name: String, iterations: Int = 2_000_000, _ body: (Int) -> Int) {
        var sink = 0
        for i in 0..<min(iterations, 10_000) { sink &+= body(i) }
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<iterations { sink &+= body(i) }
        let nanoseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations)
        print("\(name): \(String(format: "%.1f", nanoseconds)) ns/op\(sink == 42 ? " " : "")")
    }

    @Test func requestPath() throws {
        var routes: [Route<Int>] = []
        for i in 0..<10_000 {
            let rule = i % 2 == 0 ? "Host(`svc\(i).example.com`)" : "Host(`svc\(i).example.com`) && PathPrefix(`/api`)"
            routes.append(Route(name: "r\(i)", rule: try Rule.parse(rule), target: i))
        }
        routes.append(Route(name: "acme", rule: try Rule.parse("PathPrefix(`/.well-known/acme-challenge/`)"), target: -1))
        let table = RouteTable(routes)
        let heads = (0..<1024).map { i -> HTTPRequestHead in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "svc\(i * 7 % 10_000).example.com")
            headers.add(name: "Accept", value: "*/*")
            return HTTPRequestHead(version: .http1_1, method: .GET, uri: "/api/v1/items", headers: headers)
        }
        let ip = IPAddress("10.1.2.3")
        let requests = heads.map { RoutingRequest(head: $0, clientIP: ip) }
        measure("RoutingRequest(head:)") { RoutingRequest(head: heads[$0 & 1023], clientIP: ip).host.utf8.count }
        measure("10k-host table match") { table.match(requests[$0 & 1023])?.target ?? 0 }
        let miss = RoutingRequest(host: "nowhere.example.org", uri: "/")
        measure("10k-host table miss") { _ in table.match(miss)?.target ?? 0 }

        let rule = try Rule.parse("(Host(`api.myhoneydue.com`) || Host(`myhoneydue.com`)) && PathPrefix(`/api/auth`)")
        let request = RoutingRequest(host: "myhoneydue.com", uri: "/api/auth/login")
        measure("fixture rule (Host || Host) && PathPrefix") { _ in rule.matches(request) ? 1 : 0 }

        let regex = try Rule.parse(#"PathRegexp(`^/api/v[0-9]+/(users|groups)/[^/]+$`)"#)
        let regexRequest = RoutingRequest(host: "a", uri: "/api/v2/users/12345")
        measure("PathRegexp (DFA), 19-byte path") { _ in regex.matches(regexRequest) ? 1 : 0 }
    }
}
