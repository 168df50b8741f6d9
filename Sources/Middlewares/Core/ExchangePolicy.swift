/// What a router's middlewares ask of the proxy's exchange with the backend, beyond editing the
/// request: retries (`retry`, `buffering.retryExpression`) and reading the body whole first
/// (`buffering`). Computed once per chain when the snapshot is built.
public struct ExchangePolicy: Sendable {
    /// The `retry` middleware's schedule, if the chain has one (the first, if several).
    public let retry: RetryBackoff?
    /// The `buffering` middleware, if the chain has one (the first, if several).
    public let buffering: Buffering?

    /// The largest request body kept in memory to be sent again on a retry when no `buffering`
    /// holds the whole body anyway: 64 KiB, enough for the form posts and JSON calls that are
    /// worth replaying, small enough that keeping a copy per request costs little.
    public static let defaultReplayableBodyBytes = 64 * 1024

    /// Nothing asked: one attempt, the body streamed.
    public static let none = ExchangePolicy(retry: nil, buffering: nil)

    /// A policy with `retry` and `buffering`.
    public init(retry: RetryBackoff?, buffering: Buffering?) {
        self.retry = retry
        self.buffering = buffering
    }

    /// The policy of `middlewares`.
    public init(_ middlewares: [any HTTPMiddleware]) {
        var retry: RetryBackoff? = nil
        var buffering: Buffering? = nil
        for middleware in middlewares {
            if retry == nil, let r = middleware as? Retry { retry = r.backoff }
            if buffering == nil, let b = middleware as? Buffering { buffering = b }
        }
        self.init(retry: retry, buffering: buffering)
    }

    /// Whether the proxy may ever send a request again.
    public var retries: Bool {
        (retry.map { $0.attempts > 1 } ?? false) || buffering?.retryCondition != nil
    }

    /// How much of a request body is kept for replay: all of it when `buffering` reads it whole
    /// (bounded by its limit), else ``defaultReplayableBodyBytes``.
    public var replayableBodyBytes: Int {
        if buffering != nil { return Int.max }
        return Self.defaultReplayableBodyBytes
    }
}
