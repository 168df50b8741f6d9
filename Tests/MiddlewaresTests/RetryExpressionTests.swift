import Config
import Testing
@testable import Middlewares

/// `buffering.retryExpression`: parsed once, evaluated per attempt.
@Suite struct RetryExpressionTests {
    typealias Attempt = RetryExpression.Attempt

    @Test("evaluates functions, comparisons, !, && and || with && binding tighter", arguments: [
        ("IsNetworkError() && Attempts() < 2", Attempt(attempts: 1, responseCode: 502), true),
        ("IsNetworkError() && Attempts() < 2", Attempt(attempts: 2, responseCode: 502), false),
        ("IsNetworkError() && Attempts() < 2", Attempt(attempts: 1, responseCode: 500), false),
        ("IsNetworkError()", Attempt(attempts: 1, responseCode: 504), true),
        ("ResponseCode() == 503", Attempt(attempts: 3, responseCode: 503), true),
        ("ResponseCode() != 503", Attempt(attempts: 3, responseCode: 503), false),
        ("ResponseCode() >= 500 && ResponseCode() <= 599", Attempt(attempts: 1, responseCode: 599), true),
        ("ResponseCode() > 500", Attempt(attempts: 1, responseCode: 500), false),
        ("!IsNetworkError()", Attempt(attempts: 1, responseCode: 200), true),
        ("! IsNetworkError() || Attempts() >= 5", Attempt(attempts: 1, responseCode: 502), false),
        ("Attempts() < 2 || ResponseCode() == 500 && Attempts() < 4", Attempt(attempts: 3, responseCode: 500), true),
        ("(Attempts() < 2 || ResponseCode() == 500) && Attempts() < 3", Attempt(attempts: 3, responseCode: 500), false),
        ("  Attempts()<3&&IsNetworkError()  ", Attempt(attempts: 2, responseCode: 502), true),
    ] as [(String, Attempt, Bool)])
    func evaluates(source: String, attempt: Attempt, expected: Bool) throws {
        let expression = try RetryExpression(source)
        #expect(expression.evaluate(attempt) == expected, "\(source) with \(attempt)")
    }

    @Test("rejects what does not parse or is not a condition", arguments: [
        "", "Attempts()", "Attempts() <", "IsNetworkError() &&", "Attempts < 2", "Foo() == 1", "(Attempts() < 2",
        "Attempts() < 2)", "IsNetworkError() < 2", "!Attempts()", "Attempts() < 2 & IsNetworkError()",
        "1 && IsNetworkError()", "Attempts() < 99999999999999999999999", "IsNetworkError() == 1", "1 == IsNetworkError()",
        "Attempts(1) < 2", "Attempts() < ResponseCode()", "!",
    ])
    func rejects(source: String) {
        #expect(throws: ConditionSyntaxError.self, "\(source)") { try RetryExpression(source) }
    }

    @Test("an invalid retryExpression is a configuration error naming the key")
    func configurationError() {
        var config = Middleware.Buffering()
        config.retryExpression = "IsNetworkError() &&& Attempts() < 2"
        do {
            _ = try Buffering(config, keyPath: "http.middlewares.buf.buffering")
            Issue.record("the expression was accepted")
        } catch {
            #expect(error.keyPath == "http.middlewares.buf.buffering.retryExpression")
            #expect(error.message.contains("IsNetworkError() &&& Attempts() < 2"))
        }
    }
}
