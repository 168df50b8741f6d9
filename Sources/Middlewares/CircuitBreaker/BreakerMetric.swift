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

extension BreakerMetric: ConditionFunction {
    static let names = "NetworkErrorRatio, ResponseCodeRatio or LatencyAtQuantileMS"

    /// Every metric is a number to compare.
    var isCondition: Bool { false }

    static func call(_ name: String, at offset: Int, arguments: [ConditionArgument], closing: Int) throws(ConditionSyntaxError) -> BreakerMetric {
        switch name {
        case "NetworkErrorRatio":
            if let extra = arguments.first {
                throw ConditionSyntaxError(offset: extra.offset, message: "NetworkErrorRatio takes no arguments")
            }
            return .networkErrorRatio
        case "ResponseCodeRatio":
            if let wrong = arguments.first(where: { !$0.isInteger }) {
                throw ConditionSyntaxError(offset: wrong.offset, message: "ResponseCodeRatio takes four integer status codes, found \(wrong.value)")
            }
            guard arguments.count == 4 else {
                throw ConditionSyntaxError(offset: arguments.count > 4 ? arguments[4].offset : closing,
                                           message: "ResponseCodeRatio takes four integer status codes, found \(arguments.count)")
            }
            let codes = arguments.map { Int($0.value) }
            return .responseCodeRatio(from: codes[0], to: codes[1], dividedByFrom: codes[2], dividedByTo: codes[3])
        case "LatencyAtQuantileMS":
            guard let quantile = arguments.first, arguments.count == 1 else {
                throw ConditionSyntaxError(offset: arguments.count > 1 ? arguments[1].offset : closing,
                                           message: "LatencyAtQuantileMS takes one quantile in percent")
            }
            guard quantile.value >= 0, quantile.value <= 100 else {
                throw ConditionSyntaxError(offset: quantile.offset, message: "the quantile of LatencyAtQuantileMS is a percentage between 0 and 100")
            }
            return .latencyAtQuantileMS(quantile.value)
        default:
            throw ConditionSyntaxError(offset: offset, message: "unknown function \"\(name)\" (expected \(names))")
        }
    }
}
