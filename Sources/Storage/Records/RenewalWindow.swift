import Foundation

/// A time window, such as the renewal window an ACME Renewal Information (RFC 9773) response
/// suggests.
public struct RenewalWindow: Hashable, Sendable {
    /// The start of the window.
    public var start: Date
    /// The end of the window.
    public var end: Date

    /// A window from `start` to `end`.
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}
