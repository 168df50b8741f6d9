import Config
import NIOCore

/// `retry`: when the backend cannot be reached, or its connection breaks before any byte of a
/// response went to the client, the request is sent again — to a server picked again from the
/// service, so a dead server is skipped when another exists — up to ``backoff``'s attempts in
/// all, waiting between attempts as ``RetryBackoff`` says. A response, whatever its status, ends
/// the retries.
///
/// The middleware itself lets every request through; the proxy reads it from the router's
/// ``MiddlewareChain/exchange`` and drives the attempts. A request body is kept in memory for
/// replay up to ``ExchangePolicy/replayableBodyBytes``; a request whose body outgrew that is not
/// retried once part of it went to a backend. A WebSocket upgrade is retried until the backend's
/// 101, never after. Middlewares listed after `retry` run once, not once per attempt.
public struct Retry: HTTPMiddleware {
    /// Attempts and the waits between them.
    public let backoff: RetryBackoff

    /// - Throws: ``MiddlewareConfigurationError`` when `attempts` is missing or not positive, or
    ///   `initialInterval` is negative.
    public init(_ config: Middleware.Retry, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let attempts = config.attempts, attempts > 0 else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).attempts", "must be a positive number of attempts")
        }
        let interval = config.initialInterval?.nanoseconds ?? 0
        guard interval >= 0 else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).initialInterval", "must not be negative")
        }
        self.backoff = RetryBackoff(attempts: attempts, initialInterval: .nanoseconds(interval))
    }

    /// A retry middleware with `backoff` (tests).
    public init(backoff: RetryBackoff) {
        self.backoff = backoff
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        .proceed
    }
}
