import Config
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
@testable import Middlewares

/// The circuit breaker middleware: its states driven by a clock of the test's own, its answer,
/// its options, and one breaker per router.
@Suite struct CircuitBreakerTests {
    /// A clock that moves only when told.
    final class TestClock: Sendable {
        private let time = Mutex(NIODeadline.uptimeNanoseconds(1_000_000 * 1_000_000_000))

        var now: NIODeadline { time.withLock { $0 } }

        func advance(_ amount: TimeAmount) {
            time.withLock { $0 = $0 + amount }
        }

        var read: @Sendable () -> NIODeadline { { self.now } }
    }

    private func breaker(
        _ expression: String, clock: TestClock, check: ConfigDuration? = nil, fallback: ConfigDuration? = .seconds(10),
        recovery: ConfigDuration? = .seconds(10), code: Int? = nil
    ) throws -> CircuitBreaker {
        var config = Middleware.CircuitBreaker()
        config.expression = expression
        config.checkPeriod = check
        config.fallbackDuration = fallback
        config.recoveryDuration = recovery
        config.responseCode = code
        return try CircuitBreaker(config, keyPath: "http.middlewares.cb.circuitBreaker", clock: clock.read)
    }

    /// One exchange: `nil` when the breaker let the request through (the backend answered
    /// `status` after `latency`), else the breaker's answer.
    @discardableResult
    private func exchange(
        _ breaker: CircuitBreaker, clock: TestClock, status: Int = 200, latency: TimeAmount = .zero
    ) -> MiddlewareResponse? {
        var forwarded = MiddlewareRequest(
            head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"), host: "a.test", isTLS: false, peerIP: nil,
            receivedAt: clock.now)
        if case .respond(let answer) = breaker.handleRequest(&forwarded) { return answer }
        clock.advance(latency)
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
        breaker.handleResponse(&head, request: forwarded)
        breaker.requestFinished(forwarded)
        return nil
    }

    @Test("standby → tripped: answers 503 with the status text until fallbackDuration is over, without passing a request")
    func trips() throws {
        let clock = TestClock()
        let cb = try breaker("ResponseCodeRatio(500, 600, 0, 600) > 0.5", clock: clock)
        for _ in 0..<5 { #expect(exchange(cb, clock: clock, status: 200) == nil) }
        #expect(cb.state == .standby)
        clock.advance(.milliseconds(150))
        for _ in 0..<5 { exchange(cb, clock: clock, status: 500) }
        #expect(cb.state == .standby, "5 of 10 is not above one half, and the check ran on the first 500 only")
        clock.advance(.milliseconds(150))
        #expect(exchange(cb, clock: clock, status: 500) == nil)
        #expect(cb.state == .tripped, "6 of 11 is above one half: the breaker trips on the answer that makes it so")
        let answer = try #require(exchange(cb, clock: clock))
        #expect(answer.status.code == 503)
        #expect(answer.body == "Service Unavailable")
        #expect(answer.headers.first(name: "Content-Type") == "text/plain; charset=utf-8")
        clock.advance(.milliseconds(9_999))
        #expect(exchange(cb, clock: clock) != nil, "still within fallbackDuration")
    }

    @Test("the expression is evaluated at most once per checkPeriod")
    func checkPeriod() throws {
        let clock = TestClock()
        let cb = try breaker("NetworkErrorRatio() > 0.5", clock: clock, check: .seconds(1))
        exchange(cb, clock: clock, status: 200)
        for _ in 0..<10 {
            clock.advance(.milliseconds(90))
            exchange(cb, clock: clock, status: 502)
        }
        #expect(cb.state == .standby, "the first answer checked; the next check is due a second later")
        clock.advance(.milliseconds(101))
        exchange(cb, clock: clock, status: 504)
        #expect(cb.state == .tripped)
    }

    @Test("tripped → recovering → standby: a linearly growing share goes through, then all of it")
    func recovers() throws {
        let clock = TestClock()
        let cb = try breaker("NetworkErrorRatio() > 0.5", clock: clock, fallback: .seconds(2), recovery: .seconds(10))
        exchange(cb, clock: clock, status: 502)
        #expect(cb.state == .tripped)
        clock.advance(.seconds(2))
        #expect(exchange(cb, clock: clock) != nil, "the first request of the recovery: the share is 0")
        #expect(cb.state == .recovering)
        // At 40 % of the recovery the target share is 0.2; the ramp's counts start afresh but
        // the requests answered at the start count as refused.
        clock.advance(.seconds(4))
        var passed = 0
        for _ in 0..<1000 where exchange(cb, clock: clock, status: 200) == nil { passed += 1 }
        #expect(passed >= 190 && passed <= 201, "\(passed) of 1000 passed")
        #expect(cb.state == .recovering)
        clock.advance(.milliseconds(5_999))
        exchange(cb, clock: clock, status: 200)
        #expect(cb.state == .recovering, "the recovery lasts until ten seconds after it began")
        clock.advance(.milliseconds(2))
        #expect(exchange(cb, clock: clock, status: 200) == nil)
        #expect(cb.state == .standby)
        for _ in 0..<20 { #expect(exchange(cb, clock: clock, status: 200) == nil) }
    }

    @Test("a failure while recovering trips the breaker again")
    func tripsAgainWhileRecovering() throws {
        let clock = TestClock()
        let cb = try breaker("NetworkErrorRatio() > 0.5", clock: clock, fallback: .seconds(1), recovery: .seconds(2))
        exchange(cb, clock: clock, status: 502)
        #expect(cb.state == .tripped)
        clock.advance(.seconds(1))
        var passedOne = false
        for _ in 0..<100 where !passedOne {
            clock.advance(.milliseconds(10))
            passedOne = exchange(cb, clock: clock, status: 502) == nil
        }
        #expect(passedOne)
        #expect(cb.state == .tripped)
        #expect(exchange(cb, clock: clock) != nil)
    }

    @Test("latency is measured from the request's arrival to its end")
    func latency() throws {
        let clock = TestClock()
        let cb = try breaker("LatencyAtQuantileMS(50.0) > 100", clock: clock, check: .milliseconds(100))
        exchange(cb, clock: clock, latency: .milliseconds(300))
        #expect(cb.state == .standby, "the check runs on the answer, before the request finished")
        clock.advance(.milliseconds(150))
        exchange(cb, clock: clock, latency: .milliseconds(300))
        #expect(cb.state == .tripped)

        let fast = try breaker("LatencyAtQuantileMS(50.0) > 100", clock: clock, check: .milliseconds(1))
        for _ in 0..<20 {
            exchange(fast, clock: clock, latency: .milliseconds(50))
            clock.advance(.milliseconds(2))
        }
        #expect(fast.state == .standby)
    }

    @Test("responseCode and the defaults of durations that are missing or not positive")
    func options() throws {
        let clock = TestClock()
        let cb = try breaker("NetworkErrorRatio() > 0", clock: clock, fallback: .zero, recovery: nil, code: 429)
        exchange(cb, clock: clock, status: 502)
        let answer = try #require(exchange(cb, clock: clock))
        #expect(answer.status.code == 429 && answer.body == "Too Many Requests")
        clock.advance(.milliseconds(9_999))
        #expect(exchange(cb, clock: clock) != nil, "fallbackDuration 0 means the default, 10s")
    }

    @Test("a bad expression or status is a configuration error at its key")
    func configurationErrors() {
        var config = Middleware.CircuitBreaker()
        let keyPath = "http.middlewares.cb.circuitBreaker"
        for (expression, code, key) in [
            (nil, nil, "\(keyPath).expression"),
            ("NetworkErrorRatio() >> 0.5", nil, "\(keyPath).expression"),
            ("NetworkErrorRatio() > 0.5", 99, "\(keyPath).responseCode"),
        ] as [(String?, Int?, String)] {
            config.expression = expression
            config.responseCode = code
            do {
                _ = try CircuitBreaker(config, keyPath: keyPath)
                Issue.record("\(String(describing: expression)) was accepted")
            } catch {
                #expect(error.keyPath == key)
                if let expression { #expect(error.message.contains(expression) || code != nil) }
            }
        }
    }

    @Test("each router gets a breaker of its own; chains built from the same configuration do not share state")
    func perRouter() throws {
        var config = Middleware.CircuitBreaker()
        config.expression = "NetworkErrorRatio() > 0.5"
        let catalog = MiddlewareCatalog(["cb": .circuitBreaker(config), "both": .chain({
            var chain = Middleware.Chain()
            chain.middlewares = ["cb"]
            return chain
        }())])
        let first = try catalog.chain(for: ["cb"])
        let second = try catalog.chain(for: ["both"])
        let a = try #require(first.middlewares.first as? CircuitBreaker)
        let b = try #require(second.middlewares.first as? CircuitBreaker)
        #expect(a !== b)
        var forwarded = request("/")
        _ = a.handleRequest(&forwarded)
        var head = HTTPResponseHeadBuilder.make(status: 502)
        a.handleResponse(&head, request: forwarded)
        #expect(a.state == .tripped)
        #expect(b.state == .standby)
        #expect(run(b, request("/")).1 == nil)
        #expect(run(a, request("/")).1?.status.code == 503)
    }

    @Test("requests of many threads record without losing counts")
    func concurrentRecording() async throws {
        let clock = TestClock()
        let cb = try breaker("ResponseCodeRatio(500, 600, 0, 600) > 0.99", clock: clock, check: .seconds(60))
        // The first answer is checked at once; the next check is a minute away.
        exchange(cb, clock: clock, status: 200)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<500 {
                        var forwarded = request("/")
                        _ = cb.handleRequest(&forwarded)
                        var head = HTTPResponseHeadBuilder.make(status: (i + task) % 2 == 0 ? 200 : 500)
                        cb.handleResponse(&head, request: forwarded)
                        cb.requestFinished(forwarded)
                    }
                }
            }
        }
        #expect(cb.answers == 4001)
        #expect(cb.state == .standby)
    }
}
