import Testing
@testable import Routing

/// Parse errors: category, character offset, message and suggestion.
struct RuleParseErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        var kind: Rule.Kind = .http
        let code: RuleError.Code
        let offset: Int
        let message: String
        var suggestion: String? = nil
        var testDescription: String { rule.isEmpty ? "(empty)" : rule }
    }

    static let cases: [Case] = [
        Case(rule: "", code: .emptyRule, offset: 0, message: "empty rule"),
        Case(rule: "  \n ", code: .emptyRule, offset: 0, message: "empty rule"),
        Case(rule: "Hots(`a.com`)", code: .unknownMatcher, offset: 0, message: "unknown matcher \"Hots\"", suggestion: "Host"),
        Case(rule: "Host(`a.com`) && PathPrefx(`/`)", code: .unknownMatcher, offset: 17, message: "unknown matcher \"PathPrefx\"", suggestion: "PathPrefix"),
        Case(rule: "HeadersRegexp(`X`, `y`)", code: .unknownMatcher, offset: 0, message: "unknown matcher \"HeadersRegexp\"", suggestion: "HeaderRegexp"),
        Case(rule: "Frobnicate(`x`)", code: .unknownMatcher, offset: 0, message: "unknown matcher \"Frobnicate\""),
        Case(rule: "HostSNI(`a.com`)", code: .unknownMatcher, offset: 0, message: "matcher \"HostSNI\" is not available in HTTP rules", suggestion: "Host"),
        Case(rule: "Host(`a.com`)", kind: .tcp, code: .unknownMatcher, offset: 0, message: "matcher \"Host\" is not available in TCP rules", suggestion: "HostSNI"),
        Case(rule: "ALPN(`h2`)", code: .unknownMatcher, offset: 0, message: "matcher \"ALPN\" is not available in HTTP rules"),
        Case(rule: "Host(`a.com`", code: .unbalancedParentheses, offset: 4, message: "unbalanced parentheses: \"(\" is never closed"),
        Case(rule: "(Host(`a.com`)", code: .unbalancedParentheses, offset: 0, message: "unbalanced parentheses: \"(\" is never closed"),
        Case(rule: "(Host(`a`) && (Path(`/`) || Path(`/x`))", code: .unbalancedParentheses, offset: 0, message: "unbalanced parentheses: \"(\" is never closed"),
        Case(rule: "Host(`a.com`))", code: .unbalancedParentheses, offset: 13, message: "unbalanced parentheses: unexpected \")\""),
        Case(rule: "Host(`a.com`) && )", code: .unbalancedParentheses, offset: 17, message: "unbalanced parentheses: unexpected \")\""),
        Case(rule: "Host(`a.com`, `b.com`)", code: .argumentCount, offset: 0, message: "Host takes 1 argument, got 2"),
        Case(rule: "Path(`/`) && Header(`X-Env`)", code: .argumentCount, offset: 13, message: "Header takes 2 arguments, got 1"),
        Case(rule: "Query()", code: .argumentCount, offset: 0, message: "Query takes 1 or 2 arguments, got 0"),
        Case(rule: "Host(``)", code: .emptyArgument, offset: 5, message: "empty argument for Host"),
        Case(rule: "Header(`X`, \"\")", code: .emptyArgument, offset: 12, message: "empty argument for Header"),
        Case(rule: "HostRegexp(`[a-z`)", code: .invalidRegexp, offset: 11, message: "invalid regexp \"[a-z\" for HostRegexp: missing closing ] at offset 0 of the regexp"),
        Case(rule: "PathRegexp(`a**`)", code: .invalidRegexp, offset: 11, message: "invalid regexp \"a**\" for PathRegexp: invalid nested repetition operator: `**` at offset 2 of the regexp"),
        Case(rule: "PathRegexp(`(abc`)", code: .invalidRegexp, offset: 11, message: "invalid regexp \"(abc\" for PathRegexp: missing closing ) at offset 0 of the regexp"),
        Case(rule: "PathRegexp(`\\1`)", code: .invalidRegexp, offset: 11, message: "invalid regexp \"\\1\" for PathRegexp: invalid escape sequence at offset 0 of the regexp"),
        Case(rule: "ClientIP(`10.0.0/8`)", code: .invalidIPNetwork, offset: 9, message: "invalid IP or CIDR \"10.0.0/8\" for ClientIP: \"10.0.0\" is not an IP address"),
        Case(rule: "ClientIP(`10.0.0.0/33`)", code: .invalidIPNetwork, offset: 9, message: "invalid IP or CIDR \"10.0.0.0/33\" for ClientIP: prefix length 33 is larger than 32"),
        Case(rule: "ClientIP(`example.com`)", code: .invalidIPNetwork, offset: 9, message: "invalid IP or CIDR \"example.com\" for ClientIP: not an IP address or CIDR block"),
        Case(rule: "Host(`a.com`) & Path(`/`)", code: .syntax, offset: 14, message: "unexpected \"&\"", suggestion: "&&"),
        Case(rule: "Host(`a.com`) | Path(`/`)", code: .syntax, offset: 14, message: "unexpected \"|\"", suggestion: "||"),
        Case(rule: "Host(`a.com`) Path(`/`)", code: .syntax, offset: 14, message: "missing operator before \"Path\"; expected \"&&\" or \"||\""),
        Case(rule: "Host(`a.com`) &&", code: .syntax, offset: 16, message: "unexpected end of rule; expected a matcher"),
        Case(rule: "Host('a.com')", code: .syntax, offset: 5, message: "single quotes are not allowed; quote arguments with backticks or double quotes"),
        Case(rule: "Host(a.com)", code: .syntax, offset: 5, message: "unexpected \"a\"; expected an argument in backticks or double quotes"),
        Case(rule: "Host(`a.com` `b`)", code: .syntax, offset: 13, message: "unexpected string in the arguments of Host; expected \",\" or \")\""),
        Case(rule: "Host", code: .syntax, offset: 4, message: "expected \"(\" after matcher Host"),
        Case(rule: "()", code: .syntax, offset: 1, message: "empty parentheses; expected a matcher"),
        Case(rule: "`a.com`", code: .syntax, offset: 0, message: "unexpected string; expected a matcher such as Host(...)"),
        Case(rule: "Host(`a.com)", code: .unterminatedString, offset: 5, message: "unterminated string"),
        Case(rule: "Host(\"a.com)", code: .unterminatedString, offset: 5, message: "unterminated string"),
        Case(rule: "Host(\"a\\qb\")", code: .syntax, offset: 7, message: "invalid escape in string"),
        Case(rule: "Path(`api`)", code: .invalidArgument, offset: 5, message: "path \"api\" for Path must start with \"/\"", suggestion: "/api"),
        Case(rule: "Host(`a.com:8080`)", code: .invalidArgument, offset: 5, message: "invalid host \"a.com:8080\" for Host (a host name or IP address, without port)"),
        Case(rule: "Method(`GE T`)", code: .invalidArgument, offset: 7, message: "invalid method \"GE T\" for Method"),
        Case(rule: "ALPN(`acme-tls/1`)", kind: .tcp, code: .invalidArgument, offset: 5, message: "invalid value \"acme-tls/1\" for ALPN: it is reserved for ACME TLS-ALPN-01 challenges"),
        Case(rule: "HostSNI(`a b`)", kind: .tcp, code: .invalidArgument, offset: 8, message: "invalid value \"a b\" for HostSNI: not a valid host name"),
        // Offsets count characters, not bytes.
        Case(rule: "Path(`/é`) && Hots(`x`)", code: .unknownMatcher, offset: 14, message: "unknown matcher \"Hots\"", suggestion: "Host"),
    ]

    @Test(arguments: cases)
    func reportsErrors(_ c: Case) {
        do {
            let rule = try Rule.parse(c.rule, kind: c.kind)
            Issue.record("parsed unexpectedly: \(rule)")
        } catch {
            #expect(error.code == c.code)
            #expect(error.offset == c.offset)
            #expect(error.message == c.message)
            #expect(error.suggestion == c.suggestion)
        }
    }

    @Test func descriptionReadsNaturally() {
        #expect(throws: RuleError.self) { try Rule.parse("Hots(`a`)") }
        do {
            _ = try Rule.parse("Hots(`a`)")
        } catch {
            #expect(error.description == "unknown matcher \"Hots\" at 0; did you mean \"Host\"?")
        }
        do {
            _ = try Rule.parse("Host(`a`)\n&& (Path(`/`)")
        } catch {
            #expect(error.description == "unbalanced parentheses: \"(\" is never closed at 13")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let rule = String(repeating: "(", count: 5000) + "Host(`a`)" + String(repeating: ")", count: 5000)
        #expect(throws: RuleError.self) { try Rule.parse(rule) }
        let negations = String(repeating: "!", count: 301) + "Host(`a`)"
        #expect((try? Rule.parse(negations))?.matches(req("a").request) == false)
    }
}
