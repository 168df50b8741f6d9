/// The counters of one event loop. Only code running on that loop touches it (the recorder
/// finds it by the current loop), so recording is plain arithmetic: no lock, no atomic.
/// A scrape copies it out by running ``export()`` on the same loop.
final class TrafficShard: @unchecked Sendable {
    private let bounds: [Double]
    private var requests: [RequestKey: RequestCell] = [:]
    private var connectionsOpened: [String: Int] = [:]
    private var connectionsClosed: [String: Int] = [:]
    private var handshakes: [HandshakeKey: Int] = [:]
    private var handshakeFailures: [String: Int] = [:]

    init(bounds: [Double]) {
        self.bounds = bounds
    }

    @inline(__always)
    func recordRequest(_ key: RequestKey, seconds: Double) {
        var bucket: Int?
        for index in bounds.indices where seconds <= bounds[index] {
            bucket = index
            break
        }
        requests[key, default: RequestCell(bucketCount: bounds.count)].add(seconds: seconds, bucket: bucket)
    }

    func connectionOpened(_ entryPoint: String) { connectionsOpened[entryPoint, default: 0] += 1 }
    func connectionClosed(_ entryPoint: String) { connectionsClosed[entryPoint, default: 0] += 1 }
    func handshakeCompleted(_ key: HandshakeKey) { handshakes[key, default: 0] += 1 }
    func handshakeFailed(_ entryPoint: String) { handshakeFailures[entryPoint, default: 0] += 1 }

    /// A copy of every counter (run on the shard's loop).
    func export() -> TrafficSample {
        var open: [String: Int] = connectionsOpened
        for (entryPoint, closed) in connectionsClosed { open[entryPoint, default: 0] -= closed }
        return TrafficSample(
            bounds: bounds, requests: requests, openConnections: open,
            handshakes: handshakes, handshakeFailures: handshakeFailures
        )
    }
}
