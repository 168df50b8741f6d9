import NIOCore

/// The sessions of one UDP entry point, keyed by client address: lookup (which refreshes the
/// session's activity), a size bound, and idle expiry. Plain data with the time passed in, so
/// the rules can be tested without sockets or clocks; owned by one event loop.
struct UDPSessionTable<Session> {
    private struct Entry {
        var session: Session
        var lastActivity: NIODeadline
    }

    /// The most sessions kept at once; a datagram from a new client beyond it is dropped.
    let limit: Int
    /// A session with no datagram in either direction for this long is expired.
    let idleTimeout: TimeAmount
    private var entries: [SocketAddress: Entry] = [:]

    init(limit: Int, idleTimeout: TimeAmount) {
        self.limit = limit
        self.idleTimeout = idleTimeout
    }

    /// Sessions open now.
    var count: Int { entries.count }

    /// Whether a new session would exceed ``limit``.
    var isFull: Bool { entries.count >= limit }

    /// The session of `client`, its activity refreshed to `now`; `nil` when it has none (or its
    /// session is idle past the timeout and waits for the next sweep, so that a late datagram
    /// does not revive it).
    mutating func session(for client: SocketAddress, now: NIODeadline) -> Session? {
        guard var entry = entries[client] else { return nil }
        guard now - entry.lastActivity < idleTimeout else { return nil }
        entry.lastActivity = now
        entries[client] = entry
        return entry.session
    }

    /// The session of `client` as it is, activity untouched.
    func peek(_ client: SocketAddress) -> Session? {
        entries[client]?.session
    }

    /// Records activity on `client`'s session (a reply passed back to it).
    mutating func touch(_ client: SocketAddress, now: NIODeadline) {
        entries[client]?.lastActivity = now
    }

    /// Adds a session for `client`.
    /// - Returns: `false` when the table is full or `client` already has a session.
    mutating func insert(_ session: Session, for client: SocketAddress, now: NIODeadline) -> Bool {
        guard !isFull, entries[client] == nil else { return false }
        entries[client] = Entry(session: session, lastActivity: now)
        return true
    }

    /// Removes `client`'s session and returns it.
    @discardableResult
    mutating func remove(_ client: SocketAddress) -> Session? {
        entries.removeValue(forKey: client)?.session
    }

    /// Removes and returns every session idle for at least ``idleTimeout`` at `now`.
    mutating func removeExpired(now: NIODeadline) -> [Session] {
        var expired: [Session] = []
        for (client, entry) in entries where now - entry.lastActivity >= idleTimeout {
            expired.append(entry.session)
            entries.removeValue(forKey: client)
        }
        return expired
    }

    /// Removes and returns every session.
    mutating func removeAll() -> [Session] {
        defer { entries.removeAll() }
        return entries.values.map(\.session)
    }
}
