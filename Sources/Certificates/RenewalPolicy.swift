import Foundation

/// When certificates are renewed, and how failed orders back off.
public struct RenewalPolicy: Sendable {
    /// The first wait after a failed order; doubles per failure. Default 5 s
    /// (`GATEHOUSE_ACME_RETRY_INITIAL` overrides it, e.g. for tests).
    public var initialBackoff: TimeInterval
    /// The longest wait between attempts. Default 6 hours.
    public var maximumBackoff: TimeInterval

    /// - Parameters: see the properties.
    public init(initialBackoff: TimeInterval = 5, maximumBackoff: TimeInterval = 6 * 3600) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// When to renew a certificate valid from `notBefore` to `notAfter`: at `ariTime` (a random
    /// time in the CA's suggested window) when the CA offers one, else when a third of the
    /// lifetime remains (day 60 of 90, day 30 of 45, hour 107 of 160), moved earlier by
    /// `jitter` (a fraction of the lifetime, by default a random 0–2%) so that certificates
    /// issued together do not all renew in the same second.
    public func renewalTime(notBefore: Date, notAfter: Date, ariTime: Date?, jitter: Double = Double.random(in: 0...0.02)) -> Date {
        if let ariTime { return ariTime }
        let lifetime = notAfter.timeIntervalSince(notBefore)
        return notAfter.addingTimeInterval(-lifetime / 3 - lifetime * jitter)
    }

    /// The wait before attempt `failures + 1`, with ±10% jitter so nodes and names spread out.
    public func backoff(afterFailures failures: Int, jitter: Double = Double.random(in: 0.9...1.1)) -> TimeInterval {
        let exponent = min(max(failures - 1, 0), 30)
        return min(initialBackoff * pow(2, Double(exponent)), maximumBackoff) * jitter
    }
}
