import Config
import NIOCore
import NIOHTTP1
import Synchronization

/// `circuitBreaker`: stops sending requests to a failing service for a while (Traefik's
/// middleware over vulcand/oxy's `cbreaker`).
///
/// The breaker counts the answers to the requests it lets through over the last ten seconds —
/// their statuses (the proxy's own 502 and 504 are the network errors) and how long they took —
/// and evaluates its ``BreakerExpression`` at most once per `checkPeriod`. When it holds, the
/// breaker trips: for `fallbackDuration` it answers every request with `responseCode` (503 by
/// default) and the status text, then for `recoveryDuration` it lets a growing share of requests
/// through, and then all of them again (``BreakerStateMachine``).
///
/// Each router has its own breaker: the catalog builds one per router that lists it, as Traefik
/// does. Requests of every event loop share it: the state is behind one lock, taken when an answer
/// is counted; while the breaker is in standby, letting a request through reads one atomic.
public final class CircuitBreaker: HTTPMiddleware, PerRouterMiddleware {
    /// The options, checked.
    struct Settings: Sendable {
        var expression: BreakerExpression
        var checkPeriod: TimeAmount
        var fallbackDuration: TimeAmount
        var recoveryDuration: TimeAmount
        var answer: MiddlewareResponse
    }

    private let settings: Settings
    private let clock: @Sendable () -> NIODeadline
    private let machine: Mutex<BreakerStateMachine>
    /// Mirrors `machine.state == .standby`, so that requests in standby take no lock.
    private let inStandby = Atomic<Bool>(true)

    /// - Parameters:
    ///   - config: the `circuitBreaker` options; durations that are missing, zero or negative
    ///     take their defaults (100ms, 10s, 10s), as in Traefik.
    ///   - keyPath: where the options are, for errors.
    ///   - clock: the time; tests pass their own.
    /// - Throws: ``MiddlewareConfigurationError`` at `<keyPath>.expression` when the expression is
    ///   missing or cannot be parsed, at `<keyPath>.responseCode` for a code outside 100–999.
    public convenience init(
        _ config: Middleware.CircuitBreaker, keyPath: String, clock: @escaping @Sendable () -> NIODeadline = { .now() }
    ) throws(MiddlewareConfigurationError) {
        guard let text = config.expression, !text.allSatisfy(\.isWhitespace) else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).expression", "is required, e.g. \"NetworkErrorRatio() > 0.5\"")
        }
        let expression: BreakerExpression
        do {
            expression = try BreakerExpression(parsing: text)
        } catch {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).expression", "\"\(text)\": \(error)")
        }
        let code = config.effectiveResponseCode
        guard (100...999).contains(code) else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).responseCode", "\(code) is not an HTTP status code")
        }
        let status = HTTPResponseStatus(statusCode: code)
        let settings = Settings(
            expression: expression,
            checkPeriod: Self.positive(config.checkPeriod, or: .milliseconds(100)),
            fallbackDuration: Self.positive(config.fallbackDuration, or: .seconds(10)),
            recoveryDuration: Self.positive(config.recoveryDuration, or: .seconds(10)),
            answer: MiddlewareResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: status.reasonPhrase)
        )
        self.init(settings: settings, clock: clock)
    }

    private init(settings: Settings, clock: @escaping @Sendable () -> NIODeadline) {
        self.settings = settings
        self.clock = clock
        self.machine = Mutex(BreakerStateMachine(
            expression: settings.expression, checkPeriod: settings.checkPeriod,
            fallbackDuration: settings.fallbackDuration, recoveryDuration: settings.recoveryDuration))
    }

    private static func positive(_ duration: ConfigDuration?, or fallback: TimeAmount) -> TimeAmount {
        guard let duration, duration.nanoseconds > 0 else { return fallback }
        return .nanoseconds(duration.nanoseconds)
    }

    /// A breaker with the same options and a state of its own, for another router.
    func instanceForRouter() -> any HTTPMiddleware {
        CircuitBreaker(settings: settings, clock: clock)
    }

    /// The state the breaker is in (for tests and logs).
    var state: BreakerStateMachine.State {
        machine.withLock { $0.state }
    }

    /// The answers counted in the window now (for tests).
    var answers: UInt64 {
        let now = clock()
        return machine.withLock { $0.statistics.answers(at: now) }
    }

    public var editsResponses: Bool { true }
    public var tracksCompletion: Bool { true }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        if inStandby.load(ordering: .acquiring) { return .proceed }
        let now = clock()
        let answers = machine.withLock { machine in
            let answers = machine.answersRequest(at: now)
            inStandby.store(machine.state == .standby, ordering: .releasing)
            return answers
        }
        return answers ? .respond(settings.answer) : .proceed
    }

    public func handleResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest) {
        let now = clock()
        let status = Int(response.status.code)
        machine.withLock { machine in
            machine.recordAnswer(status: status, at: now)
            inStandby.store(machine.state == .standby, ordering: .releasing)
        }
    }

    public func requestFinished(_ request: MiddlewareRequest) {
        let now = clock()
        let latency = now - request.receivedAt
        machine.withLock { $0.recordLatency(latency, at: now) }
    }
}
