/// A circuit breaker expression that cannot be parsed.
struct BreakerExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The character offset in the expression where the problem is.
    let offset: Int
    /// What is wrong there.
    let message: String

    var description: String { "\(message) at character \(offset + 1)" }
}
