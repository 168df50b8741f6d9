import Foundation

/// How the client waits for the CA while it validates challenges and issues certificates.
///
/// The CA's `Retry-After` wins, clamped to ``maximumRetryAfter``. Without one the client polls
/// after a short interval that grows, so a CA on the same network answers in well under a
/// second and a remote one is not hammered. All waiting within one issuance is bounded by
/// ``timeout``.
public struct ACMEPollingPolicy: Sendable, Hashable {
    /// The first wait when the CA gives no `Retry-After`. Default: 50 ms.
    public var initialInterval: Duration
    /// Each wait without `Retry-After` is the previous one times this. Default: 2.
    public var multiplier: Double
    /// The longest wait without `Retry-After`. Default: 2 s.
    public var maximumInterval: Duration
    /// The longest wait a `Retry-After` may ask for; longer requests are cut to this, so a
    /// wrong header cannot stall issuance for hours. Default: 60 s.
    public var maximumRetryAfter: Duration
    /// How long all waiting of one issuance (``ACMEClient/issueCertificate(_:solver:onEvent:)``)
    /// or one explicit wait may take in all. Default: 90 s.
    public var timeout: Duration

    /// A policy; each parameter's default is stated on its property.
    public init(
        initialInterval: Duration = .milliseconds(50),
        multiplier: Double = 2,
        maximumInterval: Duration = .seconds(2),
        maximumRetryAfter: Duration = .seconds(60),
        timeout: Duration = .seconds(90)
    ) {
        self.initialInterval = initialInterval
        self.multiplier = max(multiplier, 1)
        self.maximumInterval = maximumInterval
        self.maximumRetryAfter = maximumRetryAfter
        self.timeout = timeout
    }

    /// The defaults above.
    public static let `default` = ACMEPollingPolicy()

    /// The wait after `interval` when the CA says nothing.
    func next(after interval: Duration) -> Duration {
        let grown = interval * self.multiplier
        return grown > self.maximumInterval ? self.maximumInterval : grown
    }

    /// The wait a `Retry-After` asks for, within ``maximumRetryAfter`` and never negative.
    func clamp(retryAfter: Duration) -> Duration {
        if retryAfter < .zero { return .zero }
        return retryAfter > self.maximumRetryAfter ? self.maximumRetryAfter : retryAfter
    }
}
