import Foundation

/// Which audit events to list.
public struct AuditQuery: Hashable, Sendable {
    /// The order of the listed events.
    public enum Order: Hashable, Sendable {
        /// Oldest first (for following the log).
        case oldestFirst
        /// Newest first (for "what happened lately").
        case newestFirst
    }

    /// Only events at or after this time. Default: no bound.
    public var since: Date?
    /// Only events about this certificate. Default: all.
    public var certificateID: String?
    /// At most this many events. Default: no limit.
    public var limit: Int?
    /// The order. Default: ``Order/oldestFirst``.
    public var order: Order

    /// A query; the defaults list the whole log, oldest first.
    public init(since: Date? = nil, certificateID: String? = nil, limit: Int? = nil, order: Order = .oldestFirst) {
        self.since = since
        self.certificateID = certificateID
        self.limit = limit
        self.order = order
    }
}
