/// A condition in the expression language Traefik takes from vulcand/oxy, used by the
/// circuit breaker's `expression` and the buffering middleware's `retryExpression`; each
/// middleware brings its own ``ConditionFunction``s.
///
/// ```
/// NetworkErrorRatio() > 0.30 || ResponseCodeRatio(500, 600, 0, 600) > 0.25
/// IsNetworkError() && Attempts() < 2
/// ```
///
/// A condition is a function that is itself true or false (`IsNetworkError()`), or a
/// comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`) of a function's value with a number, in either
/// order; `!` negates, `&&` binds tighter than `||`, parentheses group. Parsed once, by
/// ``init(parsing:)``, when the middleware is built.
public indirect enum Condition<Function: ConditionFunction>: Sendable, Equatable {
    /// True when every part is.
    case all([Condition])
    /// True when any part is.
    case any([Condition])
    /// True when the inner condition is false.
    case not(Condition)
    /// A function that is itself true or false.
    case holds(Function)
    /// `function comparison value` (a number written first is moved to the right, its
    /// comparison flipped).
    case compare(Function, ConditionComparison, Double)

    /// Parses `text`.
    ///
    /// - Throws: ``ConditionSyntaxError`` saying what was expected, and where.
    public init(parsing text: String) throws(ConditionSyntaxError) {
        var parser = ConditionParser<Function>(text)
        self = try parser.parseWhole()
    }

    /// Whether the condition holds, reading each function's value from `value` and each
    /// true-or-false function from `flag`.
    public func evaluate(value: (Function) -> Double, flag: (Function) -> Bool = { _ in false }) -> Bool {
        switch self {
        case .all(let parts):
            return parts.allSatisfy { $0.evaluate(value: value, flag: flag) }
        case .any(let parts):
            return parts.contains { $0.evaluate(value: value, flag: flag) }
        case .not(let inner):
            return !inner.evaluate(value: value, flag: flag)
        case .holds(let function):
            return flag(function)
        case .compare(let function, let comparison, let number):
            return comparison.holds(value(function), number)
        }
    }
}
