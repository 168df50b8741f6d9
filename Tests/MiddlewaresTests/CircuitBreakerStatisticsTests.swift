import NIOCore
import Testing
@testable import Middlewares

/// The breaker's rolling window: ratios, the ten one-second buckets, and latency quantiles.
@Suite struct CircuitBreakerStatisticsTests {
    /// A time on a whole second, far from zero.
    private let t0 = NIODeadline.uptimeNanoseconds(1_000_000 * 1_000_000_000)

    @Test("network errors are the 502 and 504 answers over all answers; no answers is 0")
    func networkErrorRatio() {
        var stats = RollingStatistics()
        #expect(stats.networkErrorRatio(at: t0) == 0)
        for status in [502, 504, 500, 200, 200, 200, 503, 404] {
            stats.recordAnswer(status: status, at: t0)
        }
        #expect(stats.networkErrorRatio(at: t0) == 0.25)
        #expect(stats.value(of: .networkErrorRatio, at: t0) == 0.25)
    }

    @Test("response code ratio counts [from, to) over [dividedByFrom, dividedByTo); 0 when the divisor is empty")
    func responseCodeRatio() {
        var stats = RollingStatistics()
        for status in [500, 503, 599, 600, 200, 201, 404, 302] {
            stats.recordAnswer(status: status, at: t0)
        }
        #expect(stats.responseCodeRatio(from: 500, to: 600, dividedByFrom: 0, dividedByTo: 600, at: t0) == 3.0 / 7.0,
                "600 is outside both ranges")
        #expect(stats.responseCodeRatio(from: 500, to: 503, dividedByFrom: 200, dividedByTo: 300, at: t0) == 0.5)
        #expect(stats.responseCodeRatio(from: 200, to: 300, dividedByFrom: 100, dividedByTo: 200, at: t0) == 0)
        #expect(stats.answers(at: t0) == 8)
    }

    @Test("answers count for ten seconds, then fall out of the window; a reused bucket starts empty")
    func window() {
        var stats = RollingStatistics()
        stats.recordAnswer(status: 502, at: t0 + .milliseconds(999))
        stats.recordAnswer(status: 200, at: t0 + .seconds(5))
        #expect(stats.networkErrorRatio(at: t0 + .milliseconds(9_999)) == 0.5)
        #expect(stats.networkErrorRatio(at: t0 + .seconds(10)) == 0, "the first second has left the window")
        #expect(stats.answers(at: t0 + .seconds(10)) == 1)
        stats.recordAnswer(status: 200, at: t0 + .seconds(10))
        #expect(stats.answers(at: t0 + .seconds(10)) == 2, "the bucket of second 0 now holds second 10 alone")
        #expect(stats.answers(at: t0 + .seconds(15)) == 1)
        #expect(stats.answers(at: t0 + .seconds(20)) == 0)
        #expect(stats.answers(at: t0 - .seconds(1)) == 0, "buckets from the future are not counted")
        stats.reset()
        #expect(stats.answers(at: t0 + .seconds(10)) == 0)
    }

    @Test("latency quantiles come from the histogram within its precision")
    func latencyQuantiles() {
        var stats = RollingStatistics()
        #expect(stats.latencyAtQuantile(50, at: t0) == 0)
        for ms in 1...100 {
            stats.recordLatency(.milliseconds(Int64(ms)), at: t0)
        }
        let median = stats.latencyAtQuantile(50, at: t0)
        #expect(median >= 50_000 && median <= 51_600, "\(median) µs")
        let p99 = stats.latencyAtQuantile(99, at: t0)
        #expect(p99 >= 99_000 && p99 <= 101_400, "\(p99) µs")
        #expect(stats.latencyAtQuantile(0, at: t0) >= 1000 && stats.latencyAtQuantile(0, at: t0) < 1100)
        #expect(stats.value(of: .latencyAtQuantileMS(50), at: t0) == Double(median / 1000))
        #expect(stats.latencyAtQuantile(50, at: t0 + .seconds(10)) == 0, "latencies leave the window too")
    }

    @Test("latency bins are ordered, cover every value and are at most about 3 % wide")
    func bins() {
        var previous = -1
        var value: UInt64 = 0
        while value < LatencyBins.maxMicroseconds {
            let index = LatencyBins.index(of: value)
            #expect(index >= previous && index < LatencyBins.count)
            let highest = LatencyBins.highestValue(of: index)
            #expect(highest >= value)
            #expect(Double(highest - value) <= max(1, Double(value) / 32), "\(value) → bin \(index) up to \(highest)")
            previous = index
            value = value < 100 ? value + 1 : value + value / 7
        }
        #expect(LatencyBins.index(of: .max) == LatencyBins.count - 1)
        #expect(LatencyBins.index(of: 31) == 31 && LatencyBins.index(of: 32) == 32)
    }
}
