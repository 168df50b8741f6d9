import NIOHTTP1

/// Recursive-descent parser for the rule language:
///
///     rule    = or
///     or      = and { "||" and }
///     and     = unary { "&&" unary }
///     unary   = "!" unary | primary
///     primary = "(" or ")" | NAME "(" [ string { "," string } ] ")"
///     string  = "`" raw "`" | '"' go-escaped '"'
///
/// Whitespace (spaces, tabs, newlines) is allowed between tokens.
struct RuleParser {
    private let text: String
    private let bytes: [UInt8]
    private let kind: Rule.Kind
    private var position = 0
    private var depth = 0

    private static let maxDepth = 200

    init(text: String, kind: Rule.Kind) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.kind = kind
    }

    mutating func parse() throws(RuleError) -> RuleExpression {
        skipSpace()
        guard position < bytes.count else {
            throw RuleError(code: .emptyRule, message: "empty rule", offset: characterOffset(0))
        }
        let expression = try parseOr()
        skipSpace()
        if position < bytes.count {
            let byte = bytes[position]
            if byte == Self.closeParen {
                throw error(.unbalancedParentheses, "unbalanced parentheses: unexpected \")\"", at: position)
            }
            if Self.isIdentifierStart(byte) || byte == Self.openParen || byte == Self.bang {
                throw error(.syntax, "missing operator before \(describeToken(at: position)); expected \"&&\" or \"||\"", at: position)
            }
            throw error(.syntax, "unexpected \(describeToken(at: position)); expected \"&&\" or \"||\"", at: position)
        }
        return expression
    }

    // MARK: Expressions

    private mutating func parseOr() throws(RuleError) -> RuleExpression {
        var terms = [try parseAnd()]
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == Self.pipe else { break }
            guard position + 1 < bytes.count, bytes[position + 1] == Self.pipe else {
                throw RuleError(code: .syntax, message: "unexpected \"|\"", offset: characterOffset(position), suggestion: "||")
            }
            position += 2
            terms.append(try parseAnd())
        }
        return terms.count == 1 ? terms[0] : .or(terms.flatMap { term -> [RuleExpression] in
            if case .or(let inner) = term { return inner }
            return [term]
        })
    }

    private mutating func parseAnd() throws(RuleError) -> RuleExpression {
        var terms = [try parseUnary()]
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == Self.ampersand else { break }
            guard position + 1 < bytes.count, bytes[position + 1] == Self.ampersand else {
                throw RuleError(code: .syntax, message: "unexpected \"&\"", offset: characterOffset(position), suggestion: "&&")
            }
            position += 2
            terms.append(try parseUnary())
        }
        return terms.count == 1 ? terms[0] : .and(terms.flatMap { term -> [RuleExpression] in
            if case .and(let inner) = term { return inner }
            return [term]
        })
    }

    private mutating func parseUnary() throws(RuleError) -> RuleExpression {
        // Count the negations iteratively: `!!!!…` must not recurse once per `!`.
        var negations = 0
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == Self.bang else { break }
            position += 1
            negations += 1
        }
        let primary = try parsePrimary()
        return negations % 2 == 0 ? primary : .not(primary)
    }

    private mutating func parsePrimary() throws(RuleError) -> RuleExpression {
        skipSpace()
        guard position < bytes.count else {
            throw error(.syntax, "unexpected end of rule; expected a matcher", at: position)
        }
        let byte = bytes[position]
        if byte == Self.openParen {
            let open = position
            position += 1
            depth += 1
            guard depth <= Self.maxDepth else { throw error(.syntax, "rule nests too deeply", at: open) }
            skipSpace()
            if position < bytes.count, bytes[position] == Self.closeParen {
                throw error(.syntax, "empty parentheses; expected a matcher", at: position)
            }
            let inner = try parseOr()
            skipSpace()
            guard position < bytes.count, bytes[position] == Self.closeParen else {
                if position < bytes.count {
                    throw error(.syntax, "unexpected \(describeToken(at: position)); expected \"&&\", \"||\" or \")\"", at: position)
                }
                throw error(.unbalancedParentheses, "unbalanced parentheses: \"(\" is never closed", at: open)
            }
            position += 1
            depth -= 1
            return inner
        }
        if Self.isIdentifierStart(byte) {
            return try parseMatcher()
        }
        if byte == Self.closeParen {
            throw error(.unbalancedParentheses, "unbalanced parentheses: unexpected \")\"", at: position)
        }
        if byte == Self.singleQuote {
            throw error(.syntax, "single quotes are not allowed; quote arguments with backticks or double quotes", at: position)
        }
        if byte == Self.backtick || byte == Self.doubleQuote {
            throw error(.syntax, "unexpected string; expected a matcher such as Host(...)", at: position)
        }
        throw error(.syntax, "unexpected \(describeToken(at: position)); expected a matcher", at: position)
    }

    // MARK: Matchers

    private mutating func parseMatcher() throws(RuleError) -> RuleExpression {
        let nameStart = position
        while position < bytes.count, Self.isIdentifierByte(bytes[position]) { position += 1 }
        let name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
        let spec = try resolve(name, at: nameStart)
        skipSpace()
        guard position < bytes.count, bytes[position] == Self.openParen else {
            throw error(.syntax, "expected \"(\" after matcher \(spec.name)", at: position)
        }
        let open = position
        position += 1
        var arguments: [(value: String, offset: Int)] = []
        skipSpace()
        if position < bytes.count, bytes[position] == Self.closeParen {
            position += 1
        } else {
            while true {
                skipSpace()
                guard position < bytes.count else {
                    throw error(.unbalancedParentheses, "unbalanced parentheses: \"(\" is never closed", at: open)
                }
                let argumentStart = position
                let value = try parseString()
                arguments.append((value, argumentStart))
                skipSpace()
                guard position < bytes.count else {
                    throw error(.unbalancedParentheses, "unbalanced parentheses: \"(\" is never closed", at: open)
                }
                if bytes[position] == Self.comma {
                    position += 1
                    continue
                }
                if bytes[position] == Self.closeParen {
                    position += 1
                    break
                }
                throw error(.syntax, "unexpected \(describeToken(at: position)) in the arguments of \(spec.name); expected \",\" or \")\"", at: position)
            }
        }
        guard spec.arity.contains(arguments.count) else {
            let expected = spec.arity.count == 1
                ? "\(spec.arity.lowerBound) argument\(spec.arity.lowerBound == 1 ? "" : "s")"
                : "\(spec.arity.lowerBound) or \(spec.arity.upperBound) arguments"
            throw error(.argumentCount, "\(spec.name) takes \(expected), got \(arguments.count)", at: nameStart)
        }
        for argument in arguments where argument.value.isEmpty {
            throw error(.emptyArgument, "empty argument for \(spec.name)", at: argument.offset)
        }
        return .matcher(try build(spec, arguments, nameOffset: nameStart))
    }

    private func build(_ spec: MatcherSpec, _ arguments: [(value: String, offset: Int)], nameOffset: Int) throws(RuleError) -> Matcher {
        let first = arguments[0]
        switch spec.name {
        case "Host":
            guard let host = RoutingRequest.normalizeRuleHost(first.value) else {
                throw error(.invalidArgument, "invalid host \(quoted(first.value)) for Host (a host name or IP address, without port)", at: first.offset)
            }
            return .host(host)
        case "HostRegexp":
            return .hostRegexp(try regex(first, for: spec, caseInsensitive: true))
        case "Path", "PathPrefix":
            guard first.value.utf8.first == UInt8(ascii: "/") else {
                throw RuleError(code: .invalidArgument, message: "path \(quoted(first.value)) for \(spec.name) must start with \"/\"",
                                offset: characterOffset(first.offset), suggestion: "/" + first.value)
            }
            let path = RoutingRequest.normalizePercentEncoding(first.value)
            return spec.name == "Path" ? .path(path) : .pathPrefix(path)
        case "PathRegexp":
            return .pathRegexp(try regex(first, for: spec, caseInsensitive: false))
        case "Method":
            let method = first.value.uppercased()
            guard method.utf8.allSatisfy(HTTPToken.isTokenByte) else {
                throw error(.invalidArgument, "invalid method \(quoted(first.value)) for Method", at: first.offset)
            }
            return .method(HTTPMethod(rawValue: method))
        case "Header", "HeaderRegexp":
            guard first.value.utf8.allSatisfy(HTTPToken.isTokenByte) else {
                throw error(.invalidArgument, "invalid header name \(quoted(first.value)) for \(spec.name)", at: first.offset)
            }
            let name = IDNA.asciiLowercased(first.value)
            if spec.name == "Header" { return .header(name: name, value: arguments[1].value) }
            return .headerRegexp(name: name, try regex(arguments[1], for: spec, caseInsensitive: false))
        case "Query":
            return .query(key: first.value, value: arguments.count == 2 ? arguments[1].value : nil)
        case "QueryRegexp":
            guard arguments.count == 2 else { return .query(key: first.value, value: nil) }
            return .queryRegexp(key: first.value, try regex(arguments[1], for: spec, caseInsensitive: false))
        case "ClientIP":
            do {
                return .clientIP(try IPNetwork(parsing: first.value))
            } catch {
                throw self.error(.invalidIPNetwork, "invalid IP or CIDR \(quoted(first.value)) for ClientIP: \(error.reason)", at: first.offset)
            }
        case "HostSNI":
            if first.value == "*" { return .hostSNIAny }
            guard first.value.unicodeScalars.allSatisfy({ !$0.isASCII || Self.isHostNameByte(UInt8($0.value)) }),
                  let name = RoutingRequest.normalizeRuleHost(first.value) else {
                throw error(.invalidArgument, "invalid value \(quoted(first.value)) for HostSNI: not a valid host name", at: first.offset)
            }
            return .hostSNI(name)
        case "HostSNIRegexp":
            return .hostSNIRegexp(try regex(first, for: spec, caseInsensitive: true))
        case "ALPN":
            guard first.value != "acme-tls/1" else {
                throw error(.invalidArgument, "invalid value \"acme-tls/1\" for ALPN: it is reserved for ACME TLS-ALPN-01 challenges", at: first.offset)
            }
            return .alpn(first.value)
        default:
            throw error(.unknownMatcher, "unknown matcher \(quoted(spec.name))", at: nameOffset)
        }
    }

    private func regex(_ argument: (value: String, offset: Int), for spec: MatcherSpec, caseInsensitive: Bool) throws(RuleError) -> GoRegex {
        do {
            return try GoRegex(argument.value, caseInsensitive: caseInsensitive)
        } catch {
            throw self.error(.invalidRegexp, "invalid regexp \(quoted(argument.value)) for \(spec.name): \(error)", at: argument.offset)
        }
    }

    // MARK: Matcher names

    struct MatcherSpec {
        let name: String
        let arity: ClosedRange<Int>
    }

    static let httpMatchers: [MatcherSpec] = [
        MatcherSpec(name: "Host", arity: 1...1),
        MatcherSpec(name: "HostRegexp", arity: 1...1),
        MatcherSpec(name: "Path", arity: 1...1),
        MatcherSpec(name: "PathPrefix", arity: 1...1),
        MatcherSpec(name: "PathRegexp", arity: 1...1),
        MatcherSpec(name: "Method", arity: 1...1),
        MatcherSpec(name: "Header", arity: 2...2),
        MatcherSpec(name: "HeaderRegexp", arity: 2...2),
        MatcherSpec(name: "Query", arity: 1...2),
        MatcherSpec(name: "QueryRegexp", arity: 1...2),
        MatcherSpec(name: "ClientIP", arity: 1...1),
    ]

    static let tcpMatchers: [MatcherSpec] = [
        MatcherSpec(name: "HostSNI", arity: 1...1),
        MatcherSpec(name: "HostSNIRegexp", arity: 1...1),
        MatcherSpec(name: "ClientIP", arity: 1...1),
        MatcherSpec(name: "ALPN", arity: 1...1),
    ]

    /// Traefik registers each matcher as written, lowercased, uppercased and capitalised.
    static func spellings(of name: String) -> [String] {
        let lower = name.lowercased()
        return [name, lower, name.uppercased(), lower.prefix(1).uppercased() + lower.dropFirst()]
    }

    private func resolve(_ name: String, at offset: Int) throws(RuleError) -> MatcherSpec {
        let available = kind == .http ? Self.httpMatchers : Self.tcpMatchers
        if let spec = available.first(where: { Self.spellings(of: $0.name).contains(name) }) {
            return spec
        }
        let other = kind == .http ? Self.tcpMatchers : Self.httpMatchers
        if let foreign = other.first(where: { Self.spellings(of: $0.name).contains(name) }) {
            let suggestion: String? = switch foreign.name {
            case "HostSNI": "Host"
            case "HostSNIRegexp": "HostRegexp"
            case "Host": "HostSNI"
            case "HostRegexp": "HostSNIRegexp"
            default: nil
            }
            throw RuleError(code: .unknownMatcher,
                            message: "matcher \(quoted(foreign.name)) is not available in \(kind == .http ? "HTTP" : "TCP") rules",
                            offset: characterOffset(offset), suggestion: suggestion)
        }
        throw RuleError(code: .unknownMatcher, message: "unknown matcher \(quoted(name))",
                        offset: characterOffset(offset), suggestion: Self.closest(to: name, in: available.map(\.name)))
    }

    /// The candidate nearest to `name` (case-insensitive edit distance, at most a third of the
    /// name's length, and at least 2), or nil.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let lower = Array(name.lowercased().unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lower, Array(candidate.lowercased().unicodeScalars))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, lower.count / 3) else { return nil }
        return best.name
    }

    /// Optimal string alignment distance (Levenshtein with adjacent transpositions).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            previous2 = previous
            previous = current
        }
        return previous[b.count]
    }

    // MARK: Strings

    private mutating func parseString() throws(RuleError) -> String {
        let open = position
        let quote = bytes[position]
        if quote == Self.singleQuote {
            throw error(.syntax, "single quotes are not allowed; quote arguments with backticks or double quotes", at: position)
        }
        guard quote == Self.backtick || quote == Self.doubleQuote else {
            if bytes[position] == Self.closeParen || bytes[position] == Self.comma {
                throw error(.syntax, "missing argument", at: position)
            }
            throw error(.syntax, "unexpected \(describeToken(at: position)); expected an argument in backticks or double quotes", at: position)
        }
        position += 1
        if quote == Self.backtick {
            let start = position
            while position < bytes.count, bytes[position] != Self.backtick { position += 1 }
            guard position < bytes.count else {
                throw error(.unterminatedString, "unterminated string", at: open)
            }
            let value = String(decoding: bytes[start..<position], as: UTF8.self)
            position += 1
            return value
        }
        // A Go interpreted string literal.
        var output: [UInt8] = []
        while true {
            guard position < bytes.count, bytes[position] != Self.newline else {
                throw error(.unterminatedString, "unterminated string", at: open)
            }
            let byte = bytes[position]
            if byte == Self.doubleQuote {
                position += 1
                break
            }
            if byte != Self.backslash {
                output.append(byte)
                position += 1
                continue
            }
            let escapeStart = position
            position += 1
            guard position < bytes.count else { throw error(.unterminatedString, "unterminated string", at: open) }
            let c = bytes[position]
            position += 1
            switch c {
            case UInt8(ascii: "a"): output.append(7)
            case UInt8(ascii: "b"): output.append(8)
            case UInt8(ascii: "f"): output.append(12)
            case UInt8(ascii: "n"): output.append(10)
            case UInt8(ascii: "r"): output.append(13)
            case UInt8(ascii: "t"): output.append(9)
            case UInt8(ascii: "v"): output.append(11)
            case Self.backslash, Self.doubleQuote: output.append(c)
            case UInt8(ascii: "x"):
                guard let value = hexValue(digits: 2) else { throw error(.syntax, "invalid escape in string", at: escapeStart) }
                output.append(UInt8(value))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                guard let value = hexValue(digits: c == UInt8(ascii: "u") ? 4 : 8), let scalar = Unicode.Scalar(value) else {
                    throw error(.syntax, "invalid escape in string", at: escapeStart)
                }
                output.append(contentsOf: String(Character(scalar)).utf8)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard position + 1 < bytes.count,
                      (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[position]),
                      (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[position + 1]) else {
                    throw error(.syntax, "invalid escape in string", at: escapeStart)
                }
                let value = Int(c - 48) * 64 + Int(bytes[position] - 48) * 8 + Int(bytes[position + 1] - 48)
                guard value <= 255 else { throw error(.syntax, "invalid escape in string", at: escapeStart) }
                output.append(UInt8(value))
                position += 2
            default:
                throw error(.syntax, "invalid escape in string", at: escapeStart)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func hexValue(digits: Int) -> UInt32? {
        guard position + digits <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard Bytes.isHexDigit(bytes[position]) else { return nil }
            value = value * 16 + UInt32(Bytes.hexValue(bytes[position]))
            position += 1
        }
        return value
    }

    // MARK: Helpers

    private mutating func skipSpace() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
            position += 1
        }
    }

    /// Byte offset → character offset.
    private func characterOffset(_ byteOffset: Int) -> Int {
        var count = 0
        for byte in bytes[0..<min(byteOffset, bytes.count)] where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    private func error(_ code: RuleError.Code, _ message: String, at byteOffset: Int) -> RuleError {
        RuleError(code: code, message: message, offset: characterOffset(byteOffset))
    }

    private func describeToken(at byteOffset: Int) -> String {
        let byte = bytes[byteOffset]
        if Self.isIdentifierStart(byte) {
            var end = byteOffset
            while end < bytes.count, Self.isIdentifierByte(bytes[end]) { end += 1 }
            return quoted(String(decoding: bytes[byteOffset..<end], as: UTF8.self))
        }
        if byte == Self.backtick || byte == Self.doubleQuote { return "string" }
        var end = byteOffset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return quoted(String(decoding: bytes[byteOffset..<end], as: UTF8.self))
    }

    private func quoted(_ value: String) -> String { "\"\(value)\"" }

    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let pipe = UInt8(ascii: "|")
    static let ampersand = UInt8(ascii: "&")
    static let bang = UInt8(ascii: "!")
    static let comma = UInt8(ascii: ",")
    static let backtick = UInt8(ascii: "`")
    static let doubleQuote = UInt8(ascii: "\"")
    static let singleQuote = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let newline = UInt8(ascii: "\n")

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_")
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || byte &- UInt8(ascii: "0") < 10
    }

    /// Letters, digits, `.`, `-`, `_`, and `:` / `[` / `]` for IPv6 literals.
    static func isHostNameByte(_ byte: UInt8) -> Bool {
        isIdentifierByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
    }
}
