/// The `buffering` middleware's `retryExpression`, e.g. `IsNetworkError() && Attempts() < 2`,
/// parsed once when the snapshot is built and evaluated after each attempt at a request.
///
/// The language is the one Traefik takes from oxy's buffer: the functions `Attempts()` (attempts
/// made so far, 1 after the first), `ResponseCode()` (the status the attempt produced; 502 or
/// 504 when the backend could not be reached or failed) and `IsNetworkError()` (the status is 502
/// or 504); integer literals; the comparisons `==`, `!=`, `<`, `<=`, `>`, `>=` between integers;
/// `!`, `&&` and `||` over booleans (`&&` binds tighter than `||`); and parentheses. The whole
/// expression must be a boolean.
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

    /// The source text.
    public let source: String
    private let root: Node

    /// Parses `source`.
    ///
    /// - Throws: ``RetryExpressionError`` saying what is wrong and at which character.
    public init(_ source: String) throws(RetryExpressionError) {
        self.source = source
        var parser = Parser(Array(source.utf8))
        let node = try parser.parseExpression()
        try parser.expectEnd()
        guard node.type == .bool else {
            throw RetryExpressionError(offset: 0, "the expression is a number, not a condition")
        }
        self.root = node
    }

    /// Whether to try again after `attempt`.
    public func evaluate(_ attempt: Attempt) -> Bool {
        root.bool(attempt)
    }

    public var description: String { source }

    // MARK: Tree

    fileprivate enum ValueType { case bool, int }

    fileprivate indirect enum Node: Sendable {
        case attempts
        case responseCode
        case isNetworkError
        case literal(Int)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        case compare(Comparison, Node, Node)

        var type: ValueType {
            switch self {
            case .attempts, .responseCode, .literal: return .int
            default: return .bool
            }
        }

        func int(_ a: Attempt) -> Int {
            switch self {
            case .attempts: return a.attempts
            case .responseCode: return a.responseCode
            case .literal(let value): return value
            default: return 0
            }
        }

        func bool(_ a: Attempt) -> Bool {
            switch self {
            case .isNetworkError: return a.isNetworkError
            case .not(let inner): return !inner.bool(a)
            case .and(let l, let r): return l.bool(a) && r.bool(a)
            case .or(let l, let r): return l.bool(a) || r.bool(a)
            case .compare(let op, let l, let r): return op.holds(l.int(a), r.int(a))
            default: return false
            }
        }
    }

    fileprivate enum Comparison: Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

        func holds(_ l: Int, _ r: Int) -> Bool {
            switch self {
            case .equal: return l == r
            case .notEqual: return l != r
            case .less: return l < r
            case .lessOrEqual: return l <= r
            case .greater: return l > r
            case .greaterOrEqual: return l >= r
            }
        }
    }

    // MARK: Parser

    /// Recursive descent: or → and → unary → comparison → primary.
    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
                    || bytes[index] == UInt8(ascii: "\n") || bytes[index] == UInt8(ascii: "\r") {
                index += 1
            }
        }

        mutating func take(_ token: String) -> Bool {
            skipSpace()
            let t = Array(token.utf8)
            guard index + t.count <= bytes.count, Array(bytes[index..<index + t.count]) == t else { return false }
            index += t.count
            return true
        }

        func error(_ message: String) -> RetryExpressionError {
            RetryExpressionError(offset: index, message)
        }

        mutating func expectEnd() throws(RetryExpressionError) {
            skipSpace()
            if index < bytes.count {
                throw error("unexpected \"\(String(decoding: bytes[index...].prefix(12), as: UTF8.self))\"")
            }
        }

        mutating func parseExpression() throws(RetryExpressionError) -> Node {
            var left = try parseAnd()
            while take("||") {
                let right = try parseAnd()
                left = .or(try boolean(left), try boolean(right))
            }
            return left
        }

        mutating func parseAnd() throws(RetryExpressionError) -> Node {
            var left = try parseUnary()
            while take("&&") {
                let right = try parseUnary()
                left = .and(try boolean(left), try boolean(right))
            }
            return left
        }

        mutating func parseUnary() throws(RetryExpressionError) -> Node {
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "!"),
               index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "=") {
                index += 1
                return .not(try boolean(try parseUnary()))
            }
            return try parseComparison()
        }

        mutating func parseComparison() throws(RetryExpressionError) -> Node {
            let left = try parsePrimary()
            let operators: [(String, Comparison)] = [
                ("==", .equal), ("!=", .notEqual), ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("<", .less), (">", .greater),
            ]
            for (token, op) in operators where take(token) {
                let right = try parsePrimary()
                guard left.type == .int, right.type == .int else {
                    throw error("\(token) compares numbers, not conditions")
                }
                return .compare(op, left, right)
            }
            return left
        }

        mutating func parsePrimary() throws(RetryExpressionError) -> Node {
            skipSpace()
            guard index < bytes.count else { throw error("the expression ends too early") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "(") {
                index += 1
                let inner = try parseExpression()
                guard take(")") else { throw error("missing )") }
                return inner
            }
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                var value = 0
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                    guard !overflow else { throw error("number too large") }
                    value = product + Int(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                }
                return .literal(value)
            }
            let start = index
            while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
            guard index > start else {
                throw error("unexpected \"\(String(decoding: bytes[index...].prefix(12), as: UTF8.self))\"")
            }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            let node: Node
            switch name {
            case "Attempts": node = .attempts
            case "ResponseCode": node = .responseCode
            case "IsNetworkError": node = .isNetworkError
            default:
                index = start
                throw error("unknown function \"\(name)\"; known: Attempts(), ResponseCode(), IsNetworkError()")
            }
            guard take("("), take(")") else { throw error("\(name) is called as \(name)()") }
            return node
        }

        func boolean(_ node: Node) throws(RetryExpressionError) -> Node {
            guard node.type == .bool else { throw error("a number where a condition is needed") }
            return node
        }

        static func isNameByte(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
        }
    }
}

/// A `retryExpression` that does not parse.
public struct RetryExpressionError: Error, Sendable, CustomStringConvertible {
    /// The UTF-8 offset in the expression where the problem was found.
    public let offset: Int
    /// What is wrong.
    public let message: String

    init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at character \(offset + 1))" }
}
