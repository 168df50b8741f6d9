import Config
import Foundation
import NIOCore
import NIOPosix
import Routing
import Testing
@testable import Middlewares

/// rateLimit and inFlightReq.
@Suite struct TrafficMiddlewareTests {
    private func limiter(average: Int64, period: ConfigDuration = .seconds(1), burst: Int64?,
                         criterion: Middleware.SourceCriterion? = nil) throws(MiddlewareConfigurationError) -> RateLimit {
        var config = Middleware.RateLimit()
        config.average = average
        config.period = period
        config.burst = burst
        config.sourceCriterion = criterion
        return try RateLimit(config, keyPath: "m")
    }

    @Test("after the burst the next request waits or gets 429, and tokens come back at the average rate")
    func bucket() throws {
        let middleware = try limiter(average: 10, burst: 3)
        let start = NIODeadline.now()
        for _ in 0..<3 { #expect(middleware.reserve(.text("a"), now: start) == nil) }
        let wait = try #require(middleware.reserve(.text("a"), now: start))
        #expect(wait == .milliseconds(100), "one token every 100 ms; 100 ms is above the 50 ms grace")
        #expect(middleware.reserve(.text("b"), now: start) == nil, "each source has its own bucket")
        #expect(middleware.reserve(.text("a"), now: start + .milliseconds(100)) == nil, "the refused request took nothing")
        let graced = try #require(middleware.reserve(.text("a"), now: start + .milliseconds(160)))
        #expect(graced == .milliseconds(40), "within the grace: the request is delayed, not refused")
    }

    @Test("a refused request gets 429 with Retry-After and X-Retry-In")
    func refusal() throws {
        let middleware = try limiter(average: 10, period: .seconds(60), burst: 2)
        for _ in 0..<2 { #expect(run(middleware, request("/")).1 == nil) }
        let answer = try #require(run(middleware, request("/")).1)
        #expect(answer.status.code == 429)
        #expect(answer.headers.first(name: "retry-after") == "6")
        #expect(answer.headers.first(name: "x-retry-in")?.hasSuffix("s") == true)
        #expect(run(middleware, request("/", peer: "192.0.2.77")).1 == nil, "another client is not limited")
    }

    @Test("a short wait is served by suspending the request on its event loop")
    func delayed() throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let middleware = try limiter(average: 4, burst: 1)  // one every 250 ms, grace 125 ms
        var first = MiddlewareRequest(head: request("/").head, host: "h", isTLS: false, peerIP: nil, eventLoop: loop)
        guard case .proceed = middleware.handleRequest(&first) else { Issue.record("first should pass"); return }
        usleep(150_000)  // the next token is now about 100 ms away: inside the grace
        var second = first
        switch middleware.handleRequest(&second) {
        case .suspend(let future):
            #expect(try future.wait().response == nil)
        case .respond:
            Issue.record("a wait inside the grace must not be refused")
        case .proceed:
            break
        }
    }

    @Test("sourceCriterion groups by header or host; bad options are errors")
    func criteria() throws {
        var byHeader = Middleware.SourceCriterion()
        byHeader.requestHeaderName = "X-Api-Key"
        let middleware = try limiter(average: 1, period: .seconds(60), burst: 1, criterion: byHeader)
        #expect(run(middleware, request("/", headers: [("X-Api-Key", "k1")])).1 == nil)
        #expect(run(middleware, request("/", headers: [("X-Api-Key", "k2")])).1 == nil)
        #expect(run(middleware, request("/", headers: [("X-Api-Key", "k1")], peer: "192.0.2.99")).1?.status.code == 429)
        #expect(throws: MiddlewareConfigurationError.self) { try limiter(average: -1, burst: 1) }
        let unlimited = try limiter(average: 0, burst: 1)
        for _ in 0..<50 { #expect(run(unlimited, request("/")).1 == nil) }
    }

    @Test("inFlightReq admits amount requests per source and counts them back when they finish")
    func inFlight() throws {
        var config = Middleware.InFlightReq()
        config.amount = 2
        let middleware = try InFlightRequests(config, keyPath: "m")
        let (a, firstAnswer) = run(middleware, request("/"))
        let (b, secondAnswer) = run(middleware, request("/"))
        #expect(firstAnswer == nil && secondAnswer == nil)
        let refused = run(middleware, request("/")).1
        #expect(refused?.status.code == 429)
        #expect(run(middleware, request("/", peer: "192.0.2.50")).1 == nil)
        middleware.requestFinished(a)
        #expect(middleware.inFlight(.address(IPAddress("192.0.2.10"))) == 1)
        #expect(run(middleware, request("/")).1 == nil)
        middleware.requestFinished(b)
        #expect(throws: MiddlewareConfigurationError.self) { try InFlightRequests(Middleware.InFlightReq(), keyPath: "m") }
    }
}
