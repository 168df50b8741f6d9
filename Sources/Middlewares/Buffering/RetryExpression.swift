/// The `buffering` middleware's `retryExpression`, e.g. `IsNetworkError() && Attempts() < 2`:
/// a ``Condition`` parsed once when the snapshot is built and evaluated after each attempt at
/// a request.
///
/// The functions are the ones Traefik takes from oxy's buffer: `Attempts()` (attempts made so
/// far, 1 after the first), `ResponseCode()` (the status the attempt produced; 502 or 504 when
/// the backend could not be reached or failed) and the condition `IsNetworkError()` (the status
/// is 502 or 504).
public struct RetryExpression: Sendable, CustomStringConvertible {
    /// What an attempt left, for ``evaluate(_:)``.
    public struct Attempt: Sendable, Equatable {
        /// Attempts made so far, counting the one that just ended (1 after the first).
        public var attempts: Int
        /// The status the attempt produced.
        public var responseCode: Int

        /// An attempt numbered `attempts` that produced `responseCode`.
        public init(attempts: Int, responseCode: Int) {
            self.attempts = attempts
            self.responseCode = responseCode
        }

        /// oxy's definition: the proxy's own answer to a network failure.
        public var isNetworkError: Bool { responseCode == 502 || responseCode == 504 }
    }

    /// The functions a `retryExpression` calls.
    public enum Function: ConditionFunction {
        /// `Attempts()`.
        case attempts
        /// `ResponseCode()`.
        case responseCode
        /// `IsNetworkError()`.
        case isNetworkError

        /// For errors.
        public static let names = "Attempts, ResponseCode or IsNetworkError"

        /// `IsNetworkError()` is true or false; the others are numbers.
        public var isCondition: Bool { self == .isNetworkError }

        /// Resolves a call; none of the functions takes an argument.
        public static func call(_ name: String, at offset: Int, arguments: [ConditionArgument], closing: Int) throws(ConditionSyntaxError) -> Function {
            let function: Function
            switch name {
            case "Attempts": function = .attempts
            case "ResponseCode": function = .responseCode
            case "IsNetworkError": function = .isNetworkError
            default: throw ConditionSyntaxError(offset: offset, message: "unknown function \"\(name)\" (expected \(names))")
            }
            if let extra = arguments.first {
                throw ConditionSyntaxError(offset: extra.offset, message: "\(name) takes no arguments")
            }
            return function
        }
    }

    /// The source text.
    public let source: String
    private let condition: Condition<Function>

    /// Parses `source`.
    ///
    /// - Throws: ``ConditionSyntaxError`` saying what is wrong and at which character.
    public init(_ source: String) throws(ConditionSyntaxError) {
        self.source = source
        self.condition = try Condition(parsing: source)
    }

    /// Whether to try again after `attempt`.
    public func evaluate(_ attempt: Attempt) -> Bool {
        condition.evaluate(
            value: { function in
                switch function {
                case .attempts: Double(attempt.attempts)
                case .responseCode: Double(attempt.responseCode)
                case .isNetworkError: attempt.isNetworkError ? 1 : 0
                }
            },
            flag: { $0 == .isNetworkError && attempt.isNetworkError }
        )
    }

    /// The source text.
    public var description: String { source }
}
