/// A circuit breaker's `expression`: a ``Condition`` over the breaker's metrics, e.g.
/// `NetworkErrorRatio() > 0.30 || ResponseCodeRatio(500, 600, 0, 600) > 0.25` or
/// `LatencyAtQuantileMS(50.0) > 100`.
///
/// Integer and decimal numbers are accepted on either side of any metric (oxy insists on an
/// integer for the latency and a decimal for the ratios; a configuration valid there is valid
/// here).
typealias BreakerExpression = Condition<BreakerMetric>
