import Config
import NIOCore
import NIOHTTP1
import Testing
@testable import Middlewares

/// The retry middleware's backoff schedule, buffering's 413 by Content-Length, and what a chain
/// asks of the exchange.
@Suite struct RetryAndBufferingTests {
    @Test("backoff grows from initialInterval towards twice it, as Traefik's multiplier 2^(1/(attempts-1))")
    func schedule() {
        let backoff = RetryBackoff(attempts: 4, initialInterval: .milliseconds(100))
        let base = (1...3).map { backoff.baseDelay(beforeRetry: $0).nanoseconds }
        #expect(abs(backoff.multiplier - 1.259_921) < 0.000_01)
        #expect(base[0] == 100_000_000)
        #expect(abs(base[1] - 125_992_104) < 1_000)
        #expect(abs(base[2] - 158_740_105) < 1_000)
        let two = RetryBackoff(attempts: 2, initialInterval: .milliseconds(50))
        #expect(two.baseDelay(beforeRetry: 1) == .milliseconds(50))
        #expect(two.multiplier == 2)
    }

    @Test("each wait is randomized within ±50 % of its base; no interval or one attempt means no wait")
    func randomized() {
        let backoff = RetryBackoff(attempts: 3, initialInterval: .milliseconds(200))
        #expect(backoff.delay(beforeRetry: 1, unit: 0) == .milliseconds(100))
        #expect(backoff.delay(beforeRetry: 1, unit: 0.5) == .milliseconds(200))
        #expect(backoff.delay(beforeRetry: 1, unit: 0.999_999).nanoseconds > 299_000_000)
        for _ in 0..<100 {
            let wait = backoff.delay(beforeRetry: 2).nanoseconds
            #expect(wait >= 141_421_356 && wait <= 424_264_069)
        }
        #expect(RetryBackoff(attempts: 5).delay(beforeRetry: 1) == .zero)
        #expect(RetryBackoff(attempts: 1, initialInterval: .seconds(1)).delay(beforeRetry: 1) == .zero)
    }

    @Test("retry needs a positive attempts; initialInterval is taken as given")
    func retryConfiguration() throws {
        var config = Middleware.Retry()
        #expect(throws: MiddlewareConfigurationError.self) { try Retry(config, keyPath: "m.retry") }
        config.attempts = 0
        #expect(throws: MiddlewareConfigurationError.self) { try Retry(config, keyPath: "m.retry") }
        config.attempts = 3
        config.initialInterval = .milliseconds(20)
        let retry = try Retry(config, keyPath: "m.retry")
        #expect(retry.backoff == RetryBackoff(attempts: 3, initialInterval: .milliseconds(20)))
    }

    @Test("buffering answers 413 from Content-Length alone and lets smaller or unannounced bodies through")
    func contentLength() throws {
        var config = Middleware.Buffering()
        config.maxRequestBodyBytes = 1000
        let buffering = try Buffering(config, keyPath: "m.buffering")
        let big = run(buffering, request("/up", method: .POST, headers: [("Content-Length", "1001")]))
        #expect(big.1?.status == .payloadTooLarge)
        #expect(run(buffering, request("/up", method: .POST, headers: [("Content-Length", "1000")])).1 == nil)
        #expect(run(buffering, request("/up", method: .POST, headers: [("Transfer-Encoding", "chunked")])).1 == nil)
        #expect(buffering.exceeds(1001) && !buffering.exceeds(1000))
        let unlimited = try Buffering(Middleware.Buffering(), keyPath: "m.buffering")
        #expect(!unlimited.exceeds(Int64.max))
        config.maxRequestBodyBytes = -1
        #expect(throws: MiddlewareConfigurationError.self) { try Buffering(config, keyPath: "m.buffering") }
    }

    @Test("a chain's exchange policy finds retry and buffering and bounds the replayed body")
    func policy() throws {
        var retryConfig = Middleware.Retry()
        retryConfig.attempts = 3
        let retry = try Retry(retryConfig, keyPath: "r")
        let plain = MiddlewareChain([StripPrefix(prefixes: ["/a"], forceSlash: false)], names: ["s"])
        #expect(plain.exchange.retry == nil && plain.exchange.buffering == nil && !plain.exchange.retries)
        let withRetry = MiddlewareChain([retry], names: ["r"])
        #expect(withRetry.exchange.retries)
        #expect(withRetry.exchange.replayableBodyBytes == 64 * 1024)
        var bufferingConfig = Middleware.Buffering()
        bufferingConfig.maxRequestBodyBytes = 1 << 20
        let both = MiddlewareChain([try Buffering(bufferingConfig, keyPath: "b"), retry], names: ["b", "r"])
        #expect(both.exchange.replayableBodyBytes == Int.max, "buffering holds the whole body anyway")
        let single = MiddlewareChain([Retry(backoff: RetryBackoff(attempts: 1))], names: ["r"])
        #expect(!single.exchange.retries)
        bufferingConfig.retryExpression = "IsNetworkError() && Attempts() < 2"
        #expect(MiddlewareChain([try Buffering(bufferingConfig, keyPath: "b")], names: ["b"]).exchange.retries)
    }
}
