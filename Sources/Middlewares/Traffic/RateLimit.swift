import Config
import NIOCore
import NIOHTTP1
import Synchronization

/// `rateLimit`: a token bucket per source (Traefik's semantics, after Go's `x/time/rate`).
///
/// Each source may send `burst` requests at once and `average` per `period` on average. A
/// request that would have to wait no longer than a short grace (half the interval between two
/// requests at the average rate, at most 500 ms for rates below one per second) is delayed by
/// that much, without blocking the event loop; a longer wait is answered 429 with `Retry-After`
/// (whole seconds, rounded up) and `X-Retry-In`. `average: 0` means no limit. A quiet source's
/// bucket is forgotten once it would be full again (Traefik forgets it after about two seconds,
/// which hands a client that pauses briefly a fresh burst).
public final class RateLimit: HTTPMiddleware {
    private struct Bucket {
        var tokens: Double
        var updated: NIODeadline
    }

    private let ratePerSecond: Double
    private let burst: Double
    private let maxDelay: TimeAmount
    private let ttl: TimeAmount
    private let extractor: SourceExtractor
    private let buckets = Mutex<(entries: [SourceKey: Bucket], swept: NIODeadline)>(([:], .now()))

    /// - Throws: ``MiddlewareConfigurationError`` for a negative average, period or burst, a
    ///   `redis` section (not supported), or a bad `sourceCriterion`.
    public init(_ config: Middleware.RateLimit, keyPath: String) throws(MiddlewareConfigurationError) {
        if config.redis != nil {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).redis", "Redis-backed rate limiting is not supported; limits are per Gatehouse node")
        }
        let average = config.average ?? 0
        guard average >= 0 else { throw MiddlewareConfigurationError(keyPath: "\(keyPath).average", "must not be negative") }
        let period = config.effectivePeriod.nanoseconds
        guard period >= 0 else { throw MiddlewareConfigurationError(keyPath: "\(keyPath).period", "must not be negative") }
        guard config.effectiveBurst >= 0 else { throw MiddlewareConfigurationError(keyPath: "\(keyPath).burst", "must not be negative") }
        let periodSeconds = period == 0 ? 1.0 : Double(period) / 1e9
        ratePerSecond = Double(average) / periodSeconds
        burst = Double(max(1, config.effectiveBurst))
        if ratePerSecond <= 0 {
            maxDelay = .zero
        } else if ratePerSecond < 1 {
            maxDelay = .milliseconds(500)
        } else {
            maxDelay = .nanoseconds(1_000_000_000 / (Int64(ratePerSecond) * 2))
        }
        var seconds: Int64 = 1
        if ratePerSecond >= 1 {
            seconds += 1
        } else if ratePerSecond > 0 {
            seconds += Int64(1 / ratePerSecond)
        }
        ttl = .seconds(max(seconds, Int64((burst / max(ratePerSecond, 1e-9)).rounded(.up))))
        extractor = try SourceExtractor(config.sourceCriterion, keyPath: "\(keyPath).sourceCriterion")
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        guard ratePerSecond > 0 else { return .proceed }
        let delay = reserve(extractor.source(of: request), now: .now())
        guard let delay else { return .proceed }
        if delay > maxDelay {
            let nanoseconds = delay.nanoseconds
            let retryAfter = (nanoseconds + 999_999_999) / 1_000_000_000
            return .respond(MiddlewareResponse(
                status: .tooManyRequests,
                headers: [
                    "Retry-After": String(retryAfter), "X-Retry-In": ConfigDuration(nanoseconds: nanoseconds).description,
                    "Content-Type": "text/plain; charset=utf-8",
                ],
                body: HTTPResponseStatus.tooManyRequests.reasonPhrase
            ))
        }
        guard let eventLoop = request.eventLoop else { return .proceed }
        return .suspend(eventLoop.scheduleTask(in: delay) { MiddlewareResumption.proceed() }.futureResult)
    }

    /// Takes a token for `source`: `nil` when one was there, else how long until it is due. A
    /// wait longer than the grace takes nothing (the reservation is cancelled).
    func reserve(_ source: SourceKey, now: NIODeadline) -> TimeAmount? {
        buckets.withLock { state in
            if now - state.swept > ttl || state.entries.count > 100_000 {
                state.entries = state.entries.filter { now - $0.value.updated <= ttl }
                state.swept = now
            }
            var bucket = state.entries[source] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double((now - bucket.updated).nanoseconds) / 1e9
            bucket.tokens = min(burst, bucket.tokens + max(0, elapsed) * ratePerSecond)
            bucket.updated = now
            bucket.tokens -= 1
            var wait: TimeAmount? = nil
            if bucket.tokens < 0 {
                let delay = TimeAmount.nanoseconds(Int64((-bucket.tokens / ratePerSecond * 1e9).rounded(.up)))
                if delay > maxDelay { bucket.tokens += 1 }
                wait = delay
            }
            state.entries[source] = bucket
            return wait
        }
    }
}
