import NIOCore
import Synchronization

/// The health of one backend server, kept across configuration snapshots (the same service and
/// URL get the same object), read on every pick.
///
/// Two sources decide it: the active health check (probes at an interval) and passive checks
/// (failed attempts counted within a window, after which the server rests for that window).
/// A server is available when neither holds it down. ``inFlight`` counts its requests in
/// progress, for the power-of-two-choices strategy.
public final class ServerHealth: Sendable {
    private let activelyHealthy = Atomic<Bool>(true)
    /// Uptime nanoseconds until which passive checks hold the server down; 0 when they don't.
    private let restingUntil = Atomic<UInt64>(0)
    private let failures = Mutex<[UInt64]>([])
    /// Requests in progress on this server.
    let inFlight = Atomic<Int>(0)

    public init() {}

    /// Whether the server may be picked now.
    @inline(__always)
    public var isAvailable: Bool {
        guard activelyHealthy.load(ordering: .relaxed) else { return false }
        let until = restingUntil.load(ordering: .relaxed)
        return until == 0 || NIODeadline.now().uptimeNanoseconds >= until
    }

    /// The active check's verdict. Returns whether it changed.
    @discardableResult
    public func setActive(healthy: Bool) -> Bool {
        activelyHealthy.exchange(healthy, ordering: .relaxed) != healthy
    }

    /// Whether the last active check passed (true before any check).
    public var isActivelyHealthy: Bool { activelyHealthy.load(ordering: .relaxed) }

    /// Counts a failed attempt; when `policy.maxFailedAttempts` fall within `policy.failureWindow`
    /// the server rests for the window. Returns whether this failure put it to rest.
    @discardableResult
    public func recordFailure(_ policy: PassiveHealthPolicy, now: NIODeadline = .now()) -> Bool {
        let time = now.uptimeNanoseconds
        let window = UInt64(max(0, policy.failureWindow.nanoseconds))
        return failures.withLock { recent in
            recent.removeAll { time &- $0 > window }
            recent.append(time)
            guard recent.count >= policy.maxFailedAttempts else { return false }
            recent.removeAll()
            restingUntil.store(time &+ window, ordering: .relaxed)
            return true
        }
    }
}

/// Traefik's `passiveHealthCheck`: `maxFailedAttempts` failed attempts within `failureWindow`
/// take a server out for `failureWindow`.
public struct PassiveHealthPolicy: Sendable, Hashable {
    public let failureWindow: TimeAmount
    public let maxFailedAttempts: Int

    public init(failureWindow: TimeAmount, maxFailedAttempts: Int) {
        self.failureWindow = failureWindow
        self.maxFailedAttempts = max(1, maxFailedAttempts)
    }
}

/// The health objects of every server, by service and URL, so that a new snapshot keeps what the
/// checks learnt about servers it still has.
public final class HealthRegistry: Sendable {
    private let entries = Mutex<[String: ServerHealth]>([:])

    public init() {}

    /// The health of `url` in `service`, made on first use.
    public func health(service: String, url: String) -> ServerHealth {
        entries.withLock { entries in
            let key = service + "\u{0}" + url
            if let existing = entries[key] { return existing }
            let health = ServerHealth()
            entries[key] = health
            return health
        }
    }

    /// Every server known now with whether it may be picked (for the metrics endpoint),
    /// ordered by service, then URL.
    public func servers() -> [(service: String, url: String, isAvailable: Bool)] {
        let entries = entries.withLock { $0 }
        return entries.compactMap { key, health -> (service: String, url: String, isAvailable: Bool)? in
            let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), String(parts[1]), health.isAvailable)
        }.sorted { ($0.service, $0.url) < ($1.service, $1.url) }
    }

    /// Forgets every server not in `kept` (as returned by ``health(service:url:)`` keys).
    public func retain(services: [String: [String]]) {
        let keys = Set(services.flatMap { service, urls in urls.map { service + "\u{0}" + $0 } })
        entries.withLock { entries in
            entries = entries.filter { keys.contains($0.key) }
        }
    }
}
