import Synchronization

/// The TXT records the built-in DNS server publishes while ACME DNS-01 challenges are pending,
/// by fully qualified name.
///
/// One name can hold several values at once: an order for `example.com` and `*.example.com`
/// has two challenges, both at `_acme-challenge.example.com`. Names compare without regard to
/// ASCII case. A value may carry an expiry, after which it is no longer served, so a record
/// whose cleanup was missed (a crash between validation and removal) does not linger.
///
/// Thread-safe: every method takes a lock, and the server reads it on its event loops while the
/// certificate manager changes it from async code.
public final class DNSChallengeRecords: Sendable {
    private struct Entry: Sendable {
        var value: String
        var expiresAt: ContinuousClock.Instant?

        func isLive(at now: ContinuousClock.Instant) -> Bool {
            self.expiresAt.map { now < $0 } ?? true
        }
    }

    private struct State: Sendable {
        var entries: [DomainName: [Entry]] = [:]
        var serial: UInt32 = 1
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    /// Publishes `value` at `name`, next to any values already there. Adding a value that is
    /// already present replaces its expiry rather than adding a second copy. Values past their
    /// expiry, at any name, are dropped at the same time.
    /// - Parameters:
    ///   - expiresAt: when the value stops being served; `nil` keeps it until removed.
    public func add(_ value: String, for name: DomainName, expiresAt: ContinuousClock.Instant? = nil) {
        let now = ContinuousClock.now
        self.state.withLock { state in
            Self.dropExpired(&state, now: now)
            var entries = state.entries[name] ?? []
            if let index = entries.firstIndex(where: { $0.value == value }) {
                entries[index].expiresAt = expiresAt
            } else {
                entries.append(Entry(value: value, expiresAt: expiresAt))
            }
            state.entries[name] = entries
            state.serial &+= 1
        }
    }

    /// Publishes `value` at `name` for `lifetime` from now; see ``add(_:for:expiresAt:)``.
    public func add(_ value: String, for name: DomainName, expiresAfter lifetime: Duration) {
        self.add(value, for: name, expiresAt: .now + lifetime)
    }

    /// Stops publishing `value` at `name`; other values at the name stay.
    /// - Returns: whether the value was there.
    @discardableResult
    public func remove(_ value: String, for name: DomainName) -> Bool {
        self.state.withLock { state in
            guard var entries = state.entries[name], let index = entries.firstIndex(where: { $0.value == value }) else {
                return false
            }
            entries.remove(at: index)
            state.entries[name] = entries.isEmpty ? nil : entries
            state.serial &+= 1
            return true
        }
    }

    /// Stops publishing every value at `name`.
    public func removeAll(for name: DomainName) {
        self.state.withLock { state in
            if state.entries.removeValue(forKey: name) != nil {
                state.serial &+= 1
            }
        }
    }

    /// The values served at `name` now, oldest first.
    public func values(for name: DomainName) -> [String] {
        let now = ContinuousClock.now
        return self.state.withLock { state in
            (state.entries[name] ?? []).filter { $0.isLive(at: now) }.map(\.value)
        }
    }

    /// The names that have at least one value served now.
    public var names: [DomainName] {
        let now = ContinuousClock.now
        return self.state.withLock { state in
            state.entries.compactMap { name, entries in entries.contains { $0.isLive(at: now) } ? name : nil }
        }
    }

    /// A number that changes whenever values are added or removed; the SOA serial.
    public var serial: UInt32 {
        self.state.withLock { $0.serial }
    }

    /// Drops expired values, so they no longer take memory. Reads already ignore them.
    public func removeExpired() {
        let now = ContinuousClock.now
        self.state.withLock { state in
            Self.dropExpired(&state, now: now)
        }
    }

    private static func dropExpired(_ state: inout State, now: ContinuousClock.Instant) {
        for (name, entries) in state.entries {
            let live = entries.filter { $0.isLive(at: now) }
            if live.count != entries.count {
                state.entries[name] = live.isEmpty ? nil : live
                state.serial &+= 1
            }
        }
    }

    /// What the server needs to know about one query name, read under one lock.
    struct Lookup {
        /// Values served at the name itself.
        var values: [String]
        /// Whether some name strictly below it has values (it is then an empty non-terminal).
        var hasDescendants: Bool
        /// The highest name at or above the query name that has values, for names outside any
        /// zone the server otherwise knows.
        var outermostOwner: DomainName?
    }

    func lookup(_ name: DomainName) -> Lookup {
        let now = ContinuousClock.now
        return self.state.withLock { state in
            var result = Lookup(values: [], hasDescendants: false, outermostOwner: nil)
            for (owner, entries) in state.entries where entries.contains(where: { $0.isLive(at: now) }) {
                if owner == name {
                    result.values = entries.filter { $0.isLive(at: now) }.map(\.value)
                } else if owner.isSubdomain(of: name) {
                    result.hasDescendants = true
                }
                if name.isSubdomain(of: owner), owner.labels.count < result.outermostOwner?.labels.count ?? Int.max {
                    result.outermostOwner = owner
                }
            }
            return result
        }
    }
}
