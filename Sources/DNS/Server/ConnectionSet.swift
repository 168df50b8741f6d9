import NIOCore
import Synchronization

/// The server's open TCP connections, so shutdown can close them and a limit can be kept.
final class ConnectionSet: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isClosed = false
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Adds a new connection and arranges its removal when it closes. False when the set is at
    /// its limit or already shut down; the caller then closes the channel.
    func insert(_ channel: any Channel) -> Bool {
        let key = ObjectIdentifier(channel)
        let inserted = self.state.withLock { state in
            guard !state.isClosed, state.channels.count < self.limit else { return false }
            state.channels[key] = channel
            return true
        }
        if inserted {
            channel.closeFuture.whenComplete { _ in
                self.state.withLock { _ = $0.channels.removeValue(forKey: key) }
            }
        }
        return inserted
    }

    /// Closes every connection and refuses new ones.
    func closeAll() {
        let channels = self.state.withLock { state in
            state.isClosed = true
            return Array(state.channels.values)
        }
        for channel in channels {
            channel.close(promise: nil)
        }
    }
}
