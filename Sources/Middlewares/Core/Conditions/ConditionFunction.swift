/// The functions one middleware's ``Condition``s can call: `NetworkErrorRatio()`,
/// `ResponseCodeRatio(500, 600, 0, 600)`, `Attempts()` ….
public protocol ConditionFunction: Sendable, Equatable {
    /// The function called `name` with `arguments` (the numbers between its parentheses).
    ///
    /// - Parameter closing: the offset of the call's `)`, for errors about missing arguments.
    /// - Throws: ``ConditionSyntaxError`` for an unknown name (listing ``names``) or arguments
    ///   the function does not take (at the argument's offset).
    static func call(_ name: String, at offset: Int, arguments: [ConditionArgument], closing: Int) throws(ConditionSyntaxError) -> Self

    /// The function names, for errors: `NetworkErrorRatio, ResponseCodeRatio or LatencyAtQuantileMS`.
    static var names: String { get }

    /// Whether the function is itself true or false (`IsNetworkError()`), rather than a number
    /// to compare.
    var isCondition: Bool { get }
}

/// A number between a call's parentheses.
public struct ConditionArgument: Sendable, Equatable {
    /// Its value.
    public var value: Double
    /// Whether it was written without a decimal point.
    public var isInteger: Bool
    /// Where it starts in the expression.
    public var offset: Int
}

/// A condition that cannot be parsed.
public struct ConditionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The character offset in the expression where the problem is.
    public let offset: Int
    /// What is wrong there.
    public let message: String

    /// `message` at character `offset + 1`.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// `… at character N` (1-based).
    public var description: String { "\(message) at character \(offset + 1)" }
}
