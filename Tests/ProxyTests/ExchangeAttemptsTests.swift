import Config
import Middlewares
import NIOCore
import NIOHTTP1
import Testing
@testable import Proxy

/// When a failed attempt at an exchange is tried again, and with what.
@Suite struct ExchangeAttemptsTests {
    private func body(_ count: Int) -> HTTPClientRequestPart {
        .body(.byteBuffer(ByteBuffer(repeating: 0x61, count: count)))
    }

    private func retryPolicy(attempts: Int, interval: TimeAmount = .zero) -> ExchangePolicy {
        ExchangePolicy(retry: RetryBackoff(attempts: attempts, initialInterval: interval), buffering: nil)
    }

    private func bufferingPolicy(_ expression: String) throws -> ExchangePolicy {
        var config = Middleware.Buffering()
        config.retryExpression = expression
        return ExchangePolicy(retry: nil, buffering: try Buffering(config, keyPath: "b"))
    }

    @Test("without retry: one fresh-connection retry after a stale pooled connection, then failure")
    func staleConnection() {
        var attempts = ExchangeAttempts(policy: .none)
        attempts.startRecording(ifNeeded: false, received: [.end(nil)])
        #expect(!attempts.isRecording, "a fresh connection with no retry policy keeps nothing")
        #expect(attempts.afterFailure(status: 502, reusedConnection: false, nothingSent: false) == .fail)

        var pooled = ExchangeAttempts(policy: .none)
        pooled.startRecording(ifNeeded: true, received: [body(10)])
        pooled.record(.end(nil))
        #expect(pooled.replay.count == 2)
        #expect(pooled.afterFailure(status: 502, reusedConnection: true, nothingSent: false) == .sameServer)
        #expect(pooled.afterFailure(status: 502, reusedConnection: true, nothingSent: false) == .fail, "only once")
        #expect(pooled.count == 1, "the stale-connection retry is not an attempt")
    }

    @Test("retry: another server up to attempts in all, with the backoff's waits")
    func retryAttempts() {
        var attempts = ExchangeAttempts(policy: retryPolicy(attempts: 3, interval: .milliseconds(100)))
        attempts.startRecording(ifNeeded: false, received: [.end(nil)])
        guard case .pickAgain(let first) = attempts.afterFailure(status: 502, reusedConnection: false, nothingSent: false) else {
            Issue.record("no retry")
            return
        }
        #expect(first >= .milliseconds(50) && first <= .milliseconds(150))
        guard case .pickAgain(let second) = attempts.afterFailure(status: 502, reusedConnection: false, nothingSent: false) else {
            Issue.record("no second retry")
            return
        }
        #expect(second >= .nanoseconds(70_710_678) && second <= .nanoseconds(212_132_034))
        #expect(attempts.count == 3)
        #expect(attempts.afterFailure(status: 502, reusedConnection: false, nothingSent: false) == .fail)
    }

    @Test("a body past the replay bound is not retried once sent; a request never sent always can be")
    func replayBound() {
        var attempts = ExchangeAttempts(policy: retryPolicy(attempts: 5))
        attempts.startRecording(ifNeeded: false, received: [body(40 * 1024)])
        attempts.record(body(24 * 1024))
        #expect(attempts.isReplayable, "64 KiB exactly still fits")
        attempts.record(body(1))
        #expect(!attempts.isReplayable && attempts.replay.isEmpty)
        #expect(attempts.afterFailure(status: 502, reusedConnection: false, nothingSent: false) == .fail)
        #expect(attempts.afterFailure(status: 502, reusedConnection: false, nothingSent: true) == .pickAgain(after: .zero))
    }

    @Test("retryExpression decides after failures and after response statuses, counting attempts")
    func expression() throws {
        var network = ExchangeAttempts(policy: try bufferingPolicy("IsNetworkError() && Attempts() < 3"))
        network.startRecording(ifNeeded: false, received: [.end(nil)])
        #expect(network.afterResponse(status: 200) == .fail)
        #expect(network.afterFailure(status: 502, reusedConnection: false, nothingSent: false) == .pickAgain(after: .zero))
        #expect(network.afterResponse(status: 504) == .pickAgain(after: .zero))
        #expect(network.count == 3)
        #expect(network.afterFailure(status: 502, reusedConnection: false, nothingSent: false) == .fail)

        var status = ExchangeAttempts(policy: try bufferingPolicy("ResponseCode() == 503"))
        status.startRecording(ifNeeded: false, received: [.end(nil)])
        var retries = 0
        while status.afterResponse(status: 503) != .fail { retries += 1 }
        #expect(retries == ExchangeAttempts.maxExpressionAttempts - 1, "capped as oxy")
    }
}
