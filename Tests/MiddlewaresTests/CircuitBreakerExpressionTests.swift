import Testing
@testable import Middlewares

private let network = BreakerMetric.networkErrorRatio
private let fiveHundreds = BreakerMetric.responseCodeRatio(from: 500, to: 600, dividedByFrom: 0, dividedByTo: 600)
private let median = BreakerMetric.latencyAtQuantileMS(50)

/// The circuit breaker's expression language (the shared ``Condition`` with the breaker's metrics): what parses to what, what is refused and where,
/// and how a parsed expression evaluates.
@Suite struct CircuitBreakerExpressionTests {
    @Test("valid expressions parse to their tree", arguments: [
        ("NetworkErrorRatio() > 0.5", BreakerExpression.compare(network, .greater, 0.5)),
        ("ResponseCodeRatio(500, 600, 0, 600) > 0.25", .compare(fiveHundreds, .greater, 0.25)),
        ("LatencyAtQuantileMS(50.0) > 100", .compare(median, .greater, 100)),
        ("LatencyAtQuantileMS(50)>=100", .compare(median, .greaterOrEqual, 100)),
        ("NetworkErrorRatio() < 1", .compare(network, .less, 1)),
        ("NetworkErrorRatio() <= 1", .compare(network, .lessOrEqual, 1)),
        ("NetworkErrorRatio() == 0", .compare(network, .equal, 0)),
        ("NetworkErrorRatio() != 0", .compare(network, .notEqual, 0)),
        ("0.5 < NetworkErrorRatio()", .compare(network, .greater, 0.5)),
        ("100 >= LatencyAtQuantileMS(50)", .compare(median, .lessOrEqual, 100)),
        ("  NetworkErrorRatio()\t>\n0.5 ", .compare(network, .greater, 0.5)),
        (
            "NetworkErrorRatio() > 0.3 || ResponseCodeRatio(500, 600, 0, 600) > 0.25 && LatencyAtQuantileMS(50) > 100",
            .any([.compare(network, .greater, 0.3), .all([.compare(fiveHundreds, .greater, 0.25), .compare(median, .greater, 100)])])
        ),
        (
            "(NetworkErrorRatio() > 0.3 || ResponseCodeRatio(500, 600, 0, 600) > 0.25) && LatencyAtQuantileMS(50) > 100",
            .all([.any([.compare(network, .greater, 0.3), .compare(fiveHundreds, .greater, 0.25)]), .compare(median, .greater, 100)])
        ),
        (
            "NetworkErrorRatio() > 0.1 && NetworkErrorRatio() < 0.9 && LatencyAtQuantileMS(99.9) > 5",
            .all([.compare(network, .greater, 0.1), .compare(network, .less, 0.9), .compare(.latencyAtQuantileMS(99.9), .greater, 5)])
        ),
    ] as [(String, BreakerExpression)])
    func parses(text: String, expected: BreakerExpression) throws {
        #expect(try BreakerExpression(parsing: text) == expected)
    }

    @Test("invalid expressions are refused with what was wrong and where", arguments: [
        ("", "empty", 0),
        ("   ", "empty", 3),
        ("NetworkErrorRatio()", "expected a comparison", 19),
        ("NetworkErrorRatio() >", "expected a function or a number", 21),
        ("NetworkErrorRatio > 0.5", "expected \"(\"", 18),
        ("Foo() > 1", "unknown function \"Foo\"", 0),
        ("ResponseCodeRatio(500, 600) > 0.5", "four integer status codes, found 2", 26),
        ("ResponseCodeRatio(500.5, 600, 0, 600) > 0.5", "four integer status codes", 18),
        ("LatencyAtQuantileMS(150) > 1", "between 0 and 100", 20),
        ("LatencyAtQuantileMS() > 1", "one quantile in percent", 20),
        ("NetworkErrorRatio() > 0.5 &&", "expected a function or a number", 28),
        ("NetworkErrorRatio() > 0.5 & NetworkErrorRatio() > 0.1", "unexpected \"&\"", 26),
        ("1 > 2", "needs a function (NetworkErrorRatio", 0),
        ("NetworkErrorRatio() > NetworkErrorRatio()", "not with another function", 0),
        ("NetworkErrorRatio(1) > 0", "takes no arguments", 18),
        ("ResponseCodeRatio(500, 600, 0,) > 0.5", "expected a number", 30),
        ("(NetworkErrorRatio() > 0.5", "expected \")\"", 26),
        ("NetworkErrorRatio() > 0.5)", "expected \"&&\", \"||\" or the end", 25),
        ("NetworkErrorRatio() > 0.5x", "after a number", 25),
        ("NetworkErrorRatio() > .", "not a number", 22),
    ])
    func refuses(text: String, message: String, offset: Int) {
        do {
            let parsed = try BreakerExpression(parsing: text)
            Issue.record("\"\(text)\" parsed as \(parsed)")
        } catch {
            #expect(error.message.contains(message), "\(error)")
            #expect(error.offset == offset, "\(error)")
        }
    }

    @Test("evaluation reads each metric and applies the comparison, && before ||")
    func evaluates() throws {
        let expression = try BreakerExpression(parsing:
            "NetworkErrorRatio() > 0.3 || ResponseCodeRatio(500, 600, 0, 600) > 0.25 && LatencyAtQuantileMS(50) > 100")
        func reading(network: Double, fiveHundreds: Double, median: Double) -> (BreakerMetric) -> Double {
            { metric in
                switch metric {
                case .networkErrorRatio: network
                case .responseCodeRatio: fiveHundreds
                case .latencyAtQuantileMS: median
                }
            }
        }
        #expect(expression.evaluate(value: reading(network: 0.31, fiveHundreds: 0, median: 0)))
        #expect(!expression.evaluate(value: reading(network: 0.3, fiveHundreds: 0, median: 0)), "> is strict")
        #expect(!expression.evaluate(value: reading(network: 0, fiveHundreds: 0.5, median: 100)), "both sides of && must hold")
        #expect(expression.evaluate(value: reading(network: 0, fiveHundreds: 0.5, median: 101)))
        for comparison in ConditionComparison.allCases {
            for (lhs, rhs) in [(1.0, 2.0), (2.0, 2.0), (3.0, 2.0)] {
                #expect(comparison.flipped.holds(rhs, lhs) == comparison.holds(lhs, rhs), "\(comparison) \(lhs) \(rhs)")
            }
        }
    }
}
