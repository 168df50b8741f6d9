import Foundation

/// Renewal information (RFC 9773 §4.2): when the CA suggests renewing a certificate.
public struct ACMERenewalInfo: Sendable, Hashable, Decodable {
    /// The suggested renewal window.
    public struct Window: Sendable, Hashable, Decodable {
        /// The earliest suggested renewal time.
        public var start: Date
        /// The latest suggested renewal time.
        public var end: Date

        /// A window from `start` to `end`.
        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }
    }

    /// When the CA suggests renewing; a window in the past means "renew now".
    public var suggestedWindow: Window
    /// A page explaining the window (e.g. a mass revocation notice), when the CA gives one.
    public var explanationURL: String?
    /// How long to wait before asking again: the response's `Retry-After`, kept between
    /// ``minimumRetryAfter`` and ``maximumRetryAfter``; nil when the CA sent none.
    public internal(set) var retryAfter: Duration?

    /// The shortest re-check interval the client accepts from a CA: 1 minute. RFC 9773 §4.3
    /// asks clients to keep the interval within reasonable limits.
    public static let minimumRetryAfter: Duration = .seconds(60)
    /// The longest re-check interval the client accepts from a CA: 1 day.
    public static let maximumRetryAfter: Duration = .seconds(86_400)

    /// `retryAfter` within ``minimumRetryAfter`` and ``maximumRetryAfter``.
    static func clamp(retryAfter: Duration) -> Duration {
        min(max(retryAfter, Self.minimumRetryAfter), Self.maximumRetryAfter)
    }

    private enum CodingKeys: String, CodingKey {
        case suggestedWindow, explanationURL
    }

    /// Renewal information, e.g. for tests or a cache.
    public init(suggestedWindow: Window, explanationURL: String? = nil, retryAfter: Duration? = nil) {
        self.suggestedWindow = suggestedWindow
        self.explanationURL = explanationURL
        self.retryAfter = retryAfter
    }

    /// A uniformly random time in the window, as RFC 9773 §4.2 asks clients to pick, so that
    /// a CA's certificates are not all renewed at the same moment. A time in the past means
    /// "renew now".
    public func randomRenewalTime() -> Date {
        var generator = SystemRandomNumberGenerator()
        return self.randomRenewalTime(using: &generator)
    }

    /// ``randomRenewalTime()`` with the caller's random source.
    public func randomRenewalTime<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Date {
        let start = self.suggestedWindow.start.timeIntervalSinceReferenceDate
        let end = self.suggestedWindow.end.timeIntervalSinceReferenceDate
        guard end > start else { return self.suggestedWindow.start }
        return Date(timeIntervalSinceReferenceDate: Double.random(in: start..<end, using: &generator))
    }
}
