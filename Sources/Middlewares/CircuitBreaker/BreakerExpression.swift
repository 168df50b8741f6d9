/// A circuit breaker's `expression`, parsed once when the middleware is built.
///
/// The language is the one Traefik takes from vulcand/oxy: comparisons of a metric with a number,
/// joined by `&&` and `||` (`&&` binds tighter), with parentheses:
///
/// ```
/// NetworkErrorRatio() > 0.30 || ResponseCodeRatio(500, 600, 0, 600) > 0.25
/// LatencyAtQuantileMS(50.0) > 100
/// ```
///
/// The operators are `==`, `!=`, `<`, `<=`, `>`, `>=`. Integer and decimal numbers are accepted
/// on either side of any metric (oxy insists on an integer for the latency and a decimal for the
/// ratios; a configuration valid there is valid here).
indirect enum BreakerExpression: Sendable, Equatable {
    /// True when every part is.
    case all([BreakerExpression])
    /// True when any part is.
    case any([BreakerExpression])
    /// `metric comparison value`.
    case compare(BreakerMetric, BreakerComparison, Double)

    /// Parses `text`.
    ///
    /// - Throws: ``BreakerExpressionError`` saying what was expected, and where.
    init(parsing text: String) throws(BreakerExpressionError) {
        var parser = BreakerExpressionParser(text)
        self = try parser.parseWhole()
    }

    /// Whether the expression holds for the metrics `read` gives.
    func holds(_ read: (BreakerMetric) -> Double) -> Bool {
        switch self {
        case .all(let parts):
            return parts.allSatisfy { $0.holds(read) }
        case .any(let parts):
            return parts.contains { $0.holds(read) }
        case .compare(let metric, let comparison, let value):
            return comparison.holds(read(metric), value)
        }
    }
}
