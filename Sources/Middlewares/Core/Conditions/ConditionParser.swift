/// A recursive-descent parser for ``Condition``:
///
/// ```
/// expression := and ("||" and)*
/// and        := unary ("&&" unary)*
/// unary      := "!" unary | term
/// term       := "(" expression ")" | call | operand comparison operand   (one operand a call, one a number)
/// operand    := number | call
/// call       := name "(" [number ("," number)*] ")"
/// ```
///
/// The names and the arguments of calls are `Function`'s to accept (``ConditionFunction``).
struct ConditionParser<Function: ConditionFunction> {
    private enum Token: Equatable {
        case identifier(String)
        case number(Double, isInteger: Bool)
        case open, close, comma, and, or, not
        case comparison(ConditionComparison)
        case end

        var text: String {
            switch self {
            case .identifier(let name): "\"\(name)\""
            case .number(let value, _): "number \(value)"
            case .open: "\"(\""
            case .close: "\")\""
            case .comma: "\",\""
            case .and: "\"&&\""
            case .or: "\"||\""
            case .not: "\"!\""
            case .comparison(let op): "\"\(op.rawValue)\""
            case .end: "the end of the expression"
            }
        }
    }

    private enum Operand {
        case call(Function)
        case number(Double)
    }

    private let bytes: [UInt8]
    private var position = 0
    private var token: Token = .end
    private var tokenStart = 0

    init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// The whole input as one expression.
    mutating func parseWhole() throws(ConditionSyntaxError) -> Condition<Function> {
        try advance()
        if token == .end { throw fail("the expression is empty") }
        let expression = try parseOr()
        guard token == .end else { throw fail("expected \"&&\", \"||\" or the end, found \(token.text)") }
        return expression
    }

    private mutating func parseOr() throws(ConditionSyntaxError) -> Condition<Function> {
        var parts = [try parseAnd()]
        while token == .or {
            try advance()
            parts.append(try parseAnd())
        }
        return parts.count == 1 ? parts[0] : .any(parts)
    }

    private mutating func parseAnd() throws(ConditionSyntaxError) -> Condition<Function> {
        var parts = [try parseUnary()]
        while token == .and {
            try advance()
            parts.append(try parseUnary())
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private mutating func parseUnary() throws(ConditionSyntaxError) -> Condition<Function> {
        guard token == .not else { return try parseTerm() }
        try advance()
        return .not(try parseUnary())
    }

    private mutating func parseTerm() throws(ConditionSyntaxError) -> Condition<Function> {
        if token == .open {
            try advance()
            let inner = try parseOr()
            try expect(.close)
            return inner
        }
        let leftStart = tokenStart
        let left = try parseOperand()
        if case .call(let function) = left, function.isCondition {
            if case .comparison = token {
                throw fail("a condition cannot be compared with a number")
            }
            return .holds(function)
        }
        guard case .comparison(let comparison) = token else {
            throw fail("expected a comparison (==, !=, <, <=, >, >=), found \(token.text)")
        }
        try advance()
        let rightStart = tokenStart
        let right = try parseOperand()
        switch (left, right) {
        case (.call(let function), .number(let value)):
            return .compare(function, comparison, value)
        case (.number(let value), .call(let function)):
            guard !function.isCondition else {
                throw ConditionSyntaxError(offset: rightStart, message: "a condition cannot be compared with a number")
            }
            return .compare(function, comparison.flipped, value)
        case (.call, .call):
            throw ConditionSyntaxError(offset: leftStart, message: "a function must be compared with a number, not with another function")
        case (.number, .number):
            throw ConditionSyntaxError(offset: leftStart, message: "a comparison needs a function (\(Function.names))")
        }
    }

    private mutating func parseOperand() throws(ConditionSyntaxError) -> Operand {
        switch token {
        case .number(let value, let isInteger):
            if isInteger, abs(value) > 9_007_199_254_740_992 {
                throw fail("number too large")
            }
            try advance()
            return .number(value)
        case .identifier(let name):
            return .call(try parseCall(name))
        default:
            throw fail("expected a function or a number, found \(token.text)")
        }
    }

    private mutating func parseCall(_ name: String) throws(ConditionSyntaxError) -> Function {
        let nameStart = tokenStart
        try advance()
        try expect(.open)
        var arguments: [ConditionArgument] = []
        while case .number(let value, let isInteger) = token {
            arguments.append(ConditionArgument(value: value, isInteger: isInteger, offset: tokenStart))
            try advance()
            guard token == .comma else { break }
            try advance()
            guard case .number = token else { throw fail("expected a number, found \(token.text)") }
        }
        guard token == .close else {
            throw fail("expected \(arguments.isEmpty ? "a number or" : "\",\" or") \")\", found \(token.text)")
        }
        let closing = tokenStart
        try advance()
        return try Function.call(name, at: nameStart, arguments: arguments, closing: closing)
    }

    private mutating func expect(_ expected: Token) throws(ConditionSyntaxError) {
        guard token == expected else { throw fail("expected \(expected.text), found \(token.text)") }
        try advance()
    }

    private func fail(_ message: String) -> ConditionSyntaxError {
        ConditionSyntaxError(offset: tokenStart, message: message)
    }

    // MARK: Tokens

    private mutating func advance() throws(ConditionSyntaxError) {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")
            || bytes[position] == UInt8(ascii: "\n") || bytes[position] == UInt8(ascii: "\r") {
            position += 1
        }
        tokenStart = position
        guard position < bytes.count else {
            token = .end
            return
        }
        let byte = bytes[position]
        let next: UInt8? = position + 1 < bytes.count ? bytes[position + 1] : nil
        switch byte {
        case UInt8(ascii: "("): token = .open; position += 1
        case UInt8(ascii: ")"): token = .close; position += 1
        case UInt8(ascii: ","): token = .comma; position += 1
        case UInt8(ascii: "&") where next == UInt8(ascii: "&"): token = .and; position += 2
        case UInt8(ascii: "|") where next == UInt8(ascii: "|"): token = .or; position += 2
        case UInt8(ascii: "=") where next == UInt8(ascii: "="): token = .comparison(.equal); position += 2
        case UInt8(ascii: "!") where next == UInt8(ascii: "="): token = .comparison(.notEqual); position += 2
        case UInt8(ascii: "!"): token = .not; position += 1
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            let orEqual = next == UInt8(ascii: "=")
            if byte == UInt8(ascii: "<") {
                token = .comparison(orEqual ? .lessOrEqual : .less)
            } else {
                token = .comparison(orEqual ? .greaterOrEqual : .greater)
            }
            position += orEqual ? 2 : 1
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
            try lexNumber()
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            var end = position
            while end < bytes.count, Self.isIdentifierByte(bytes[end]) { end += 1 }
            token = .identifier(String(decoding: bytes[position..<end], as: UTF8.self))
            position = end
        default:
            let scalar = String(decoding: bytes[position...].prefix(4), as: UTF8.self).first.map { String($0) } ?? "?"
            throw ConditionSyntaxError(offset: position, message: "unexpected \"\(scalar)\"")
        }
    }

    private mutating func lexNumber() throws(ConditionSyntaxError) {
        var end = position
        if bytes[end] == UInt8(ascii: "-") { end += 1 }
        var digits = 0
        var isInteger = true
        while end < bytes.count {
            let byte = bytes[end]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
            } else if byte == UInt8(ascii: ".") && isInteger {
                isInteger = false
            } else {
                break
            }
            end += 1
        }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        guard digits > 0, let value = Double(text) else {
            throw ConditionSyntaxError(offset: position, message: "\"\(text)\" is not a number")
        }
        if end < bytes.count, Self.isIdentifierByte(bytes[end]) {
            throw ConditionSyntaxError(offset: end, message: "unexpected \"\(Character(Unicode.Scalar(bytes[end])))\" after a number")
        }
        token = .number(value, isInteger: isInteger)
        position = end
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }
}
