/// Why a rule could not be parsed: what is wrong, where (a character offset into the rule text),
/// and, when there is an obvious fix, a suggestion.
///
/// `description` reads like `unknown matcher "Hots" at 0; did you mean "Host"?`.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable category for the error; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let raw: String

        /// The rule is empty or only whitespace.
        public static let emptyRule = Code(raw: "emptyRule")
        /// Unexpected character or token, missing operator or operand.
        public static let syntax = Code(raw: "syntax")
        /// A `(` without `)` or a `)` without `(`.
        public static let unbalancedParentheses = Code(raw: "unbalancedParentheses")
        /// A string argument without its closing quote.
        public static let unterminatedString = Code(raw: "unterminatedString")
        /// A matcher name that does not exist (for this kind of rule).
        public static let unknownMatcher = Code(raw: "unknownMatcher")
        /// A matcher given too many or too few arguments.
        public static let argumentCount = Code(raw: "argumentCount")
        /// An empty string argument.
        public static let emptyArgument = Code(raw: "emptyArgument")
        /// An argument that is not a valid Go regular expression.
        public static let invalidRegexp = Code(raw: "invalidRegexp")
        /// A `ClientIP` argument that is neither an IP address nor a CIDR block.
        public static let invalidIPNetwork = Code(raw: "invalidIPNetwork")
        /// Any other invalid argument (a path without `/`, a host with a port…).
        public static let invalidArgument = Code(raw: "invalidArgument")

        public var description: String { raw }
    }

    public let code: Code
    /// What is wrong, without the position.
    public let message: String
    /// Offset of the problem in the rule text, in characters from 0.
    public let offset: Int
    /// A likely fix (a matcher name, a token), when there is one.
    public let suggestion: String?

    public init(code: Code, message: String, offset: Int, suggestion: String? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.suggestion = suggestion
    }

    public var description: String {
        var text = "\(message) at \(offset)"
        if let suggestion { text += "; did you mean \"\(suggestion)\"?" }
        return text
    }
}
