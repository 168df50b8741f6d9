/// A statistic over the breaker's rolling window.
enum BreakerMetric: Sendable, Equatable {
    /// `NetworkErrorRatio()`: 502 and 504 answers over all answers; 0 without answers.
    case networkErrorRatio
    /// `ResponseCodeRatio(from, to, dividedByFrom, dividedByTo)`: answers with a status in
    /// `from..<to` over answers with a status in `dividedByFrom..<dividedByTo`; 0 when the
    /// latter are none.
    case responseCodeRatio(from: Int, to: Int, dividedByFrom: Int, dividedByTo: Int)
    /// `LatencyAtQuantileMS(q)`: the latency at quantile `q` (in percent, 50.0 is the median), in
    /// whole milliseconds.
    case latencyAtQuantileMS(Double)
}
