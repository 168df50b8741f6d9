/// A recursive-descent parser for ``BreakerExpression``:
///
/// ```
/// expression := and ("||" and)*
/// and        := term ("&&" term)*
/// term       := "(" expression ")" | operand comparison operand     (one operand a metric, one a number)
/// operand    := number | metric
/// metric     := "NetworkErrorRatio" "(" ")"
///             | "ResponseCodeRatio" "(" integer "," integer "," integer "," integer ")"
///             | "LatencyAtQuantileMS" "(" number ")"
/// ```
struct BreakerExpressionParser {
    private enum Token: Equatable {
        case identifier(String)
        case number(Double, isInteger: Bool)
        case open, close, comma, and, or
        case comparison(BreakerComparison)
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
            case .comparison(let op): "\"\(op.rawValue)\""
            case .end: "the end of the expression"
            }
        }
    }

    private enum Operand {
        case metric(BreakerMetric)
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
    mutating func parseWhole() throws(BreakerExpressionError) -> BreakerExpression {
        try advance()
        if token == .end { throw fail("the expression is empty") }
        let expression = try parseOr()
        guard token == .end else { throw fail("expected \"&&\", \"||\" or the end, found \(token.text)") }
        return expression
    }

    private mutating func parseOr() throws(BreakerExpressionError) -> BreakerExpression {
        var parts = [try parseAnd()]
        while token == .or {
            try advance()
            parts.append(try parseAnd())
        }
        return parts.count == 1 ? parts[0] : .any(parts)
    }

    private mutating func parseAnd() throws(BreakerExpressionError) -> BreakerExpression {
        var parts = [try parseTerm()]
        while token == .and {
            try advance()
            parts.append(try parseTerm())
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private mutating func parseTerm() throws(BreakerExpressionError) -> BreakerExpression {
        if token == .open {
            try advance()
            let inner = try parseOr()
            try expect(.close)
            return inner
        }
        let leftStart = tokenStart
        let left = try parseOperand()
        guard case .comparison(let comparison) = token else {
            throw fail("expected a comparison (==, !=, <, <=, >, >=), found \(token.text)")
        }
        try advance()
        let right = try parseOperand()
        switch (left, right) {
        case (.metric(let metric), .number(let value)):
            return .compare(metric, comparison, value)
        case (.number(let value), .metric(let metric)):
            return .compare(metric, comparison.flipped, value)
        case (.metric, .metric):
            throw BreakerExpressionError(offset: leftStart, message: "a metric must be compared with a number, not with another metric")
        case (.number, .number):
            throw BreakerExpressionError(offset: leftStart, message: "a comparison needs a metric (NetworkErrorRatio, ResponseCodeRatio or LatencyAtQuantileMS)")
        }
    }

    private mutating func parseOperand() throws(BreakerExpressionError) -> Operand {
        switch token {
        case .number(let value, _):
            try advance()
            return .number(value)
        case .identifier(let name):
            return .metric(try parseMetric(name))
        default:
            throw fail("expected a metric or a number, found \(token.text)")
        }
    }

    private mutating func parseMetric(_ name: String) throws(BreakerExpressionError) -> BreakerMetric {
        let nameStart = tokenStart
        try advance()
        try expect(.open)
        switch name {
        case "NetworkErrorRatio":
            try expect(.close)
            return .networkErrorRatio
        case "ResponseCodeRatio":
            var codes: [Int] = []
            for index in 0..<4 {
                if index > 0 { try expect(.comma) }
                guard case .number(let value, isInteger: true) = token, let code = Int(exactly: value) else {
                    throw fail("ResponseCodeRatio takes four integer status codes, found \(token.text)")
                }
                codes.append(code)
                try advance()
            }
            try expect(.close)
            return .responseCodeRatio(from: codes[0], to: codes[1], dividedByFrom: codes[2], dividedByTo: codes[3])
        case "LatencyAtQuantileMS":
            guard case .number(let quantile, _) = token else {
                throw fail("LatencyAtQuantileMS takes a quantile in percent, found \(token.text)")
            }
            guard quantile >= 0, quantile <= 100 else {
                throw fail("the quantile of LatencyAtQuantileMS is a percentage between 0 and 100")
            }
            try advance()
            try expect(.close)
            return .latencyAtQuantileMS(quantile)
        default:
            throw BreakerExpressionError(
                offset: nameStart,
                message: "unknown function \"\(name)\" (expected NetworkErrorRatio, ResponseCodeRatio or LatencyAtQuantileMS)")
        }
    }

    private mutating func expect(_ expected: Token) throws(BreakerExpressionError) {
        guard token == expected else { throw fail("expected \(expected.text), found \(token.text)") }
        try advance()
    }

    private func fail(_ message: String) -> BreakerExpressionError {
        BreakerExpressionError(offset: tokenStart, message: message)
    }

    // MARK: Tokens

    private mutating func advance() throws(BreakerExpressionError) {
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
            throw BreakerExpressionError(offset: position, message: "unexpected \"\(scalar)\"")
        }
    }

    private mutating func lexNumber() throws(BreakerExpressionError) {
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
            throw BreakerExpressionError(offset: position, message: "\"\(text)\" is not a number")
        }
        if end < bytes.count, Self.isIdentifierByte(bytes[end]) {
            throw BreakerExpressionError(offset: end, message: "unexpected \"\(Character(Unicode.Scalar(bytes[end])))\" after a number")
        }
        token = .number(value, isInteger: isInteger)
        position = end
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }
}
