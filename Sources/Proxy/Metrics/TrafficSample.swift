/// Every traffic counter at one moment, summed over the event loops: plain values for a
/// metrics renderer.
public struct TrafficSample: Sendable {
    /// The duration buckets' upper bounds, in seconds, ascending.
    public var bounds: [Double]
    /// Requests by their labels.
    public var requests: [RequestKey: RequestCell]
    /// Connections open now, by entry point.
    public var openConnections: [String: Int]
    /// Completed TLS handshakes by entry point and version.
    public var handshakes: [HandshakeKey: Int]
    /// TLS handshakes that failed, by entry point.
    public var handshakeFailures: [String: Int]

    /// A sample.
    public init(
        bounds: [Double], requests: [RequestKey: RequestCell] = [:], openConnections: [String: Int] = [:],
        handshakes: [HandshakeKey: Int] = [:], handshakeFailures: [String: Int] = [:]
    ) {
        self.bounds = bounds
        self.requests = requests
        self.openConnections = openConnections
        self.handshakes = handshakes
        self.handshakeFailures = handshakeFailures
    }

    /// Adds another loop's counters.
    mutating func merge(_ other: TrafficSample) {
        for (key, cell) in other.requests {
            requests[key, default: RequestCell(bucketCount: bounds.count)].merge(cell)
        }
        for (key, value) in other.openConnections { openConnections[key, default: 0] += value }
        for (key, value) in other.handshakes { handshakes[key, default: 0] += value }
        for (key, value) in other.handshakeFailures { handshakeFailures[key, default: 0] += value }
    }
}
