import NIOCore
import NIOHTTP1
import NIOPosix

/// Records requests, connections and TLS handshakes for the metrics endpoint.
///
/// Each event loop of the group has its own ``TrafficShard``; a recording call finds the
/// shard of the loop it runs on and does plain arithmetic there, so the request path takes no
/// lock and touches no shared table. ``sample()`` visits every loop and adds the shards up.
/// Calls from a thread that is not one of the group's loops are not counted.
public final class TrafficMetrics: Sendable {
    /// Traefik's default request duration buckets, in seconds.
    public static let defaultBuckets: [Double] = [0.1, 0.3, 1.2, 5]

    /// The duration buckets' upper bounds, in seconds, ascending.
    public let bounds: [Double]
    private let shards: [(loop: any EventLoop, shard: TrafficShard)]

    /// A recorder with one shard per loop of `group`.
    ///
    /// - Parameter buckets: request duration bucket bounds in seconds; sorted, duplicates and
    ///   non-finite values dropped. Empty means ``defaultBuckets``.
    public init(group: any EventLoopGroup, buckets: [Double] = TrafficMetrics.defaultBuckets) {
        let cleaned = Array(Set(buckets.filter { $0.isFinite })).sorted()
        let bounds = cleaned.isEmpty ? Self.defaultBuckets : cleaned
        self.bounds = bounds
        var shards: [(loop: any EventLoop, shard: TrafficShard)] = []
        for loop in group.makeIterator() {
            shards.append((loop, TrafficShard(bounds: bounds)))
        }
        self.shards = shards
    }

    /// The shard of the loop this code runs on.
    @inline(__always)
    private var currentShard: TrafficShard? {
        guard let current = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        for entry in shards where entry.loop === current { return entry.shard }
        return nil
    }

    /// Counts a finished request and its duration.
    @inline(__always)
    public func recordRequest(
        entryPoint: String, router: String, service: String, code: Int, method: HTTPMethod, upgraded: Bool, seconds: Double
    ) {
        guard let shard = currentShard else { return }
        let key = RequestKey(
            entryPoint: entryPoint, router: router, service: service, code: code,
            method: Self.label(method), protocolName: upgraded ? "websocket" : "http"
        )
        shard.recordRequest(key, seconds: max(0, seconds))
    }

    /// Counts a connection accepted on `entryPoint`; call ``connectionClosed(entryPoint:)`` on the
    /// same loop when it closes.
    public func connectionOpened(entryPoint: String) {
        currentShard?.connectionOpened(entryPoint)
    }

    /// Counts a connection of `entryPoint` closed.
    public func connectionClosed(entryPoint: String) {
        currentShard?.connectionClosed(entryPoint)
    }

    /// Counts a completed TLS handshake.
    public func handshakeCompleted(entryPoint: String, version: String) {
        currentShard?.handshakeCompleted(HandshakeKey(entryPoint: entryPoint, version: version))
    }

    /// Counts a TLS handshake that failed.
    public func handshakeFailed(entryPoint: String) {
        currentShard?.handshakeFailed(entryPoint)
    }

    /// Every counter now, summed over the loops (each loop copies its own shard).
    public func sample() async -> TrafficSample {
        var total = TrafficSample(bounds: bounds)
        for entry in shards {
            let shard = entry.shard
            if let part = try? await entry.loop.submit({ shard.export() }).get() {
                total.merge(part)
            }
        }
        return total
    }

    /// The method label: the registered methods as written, anything else `EXTENSION`, so a
    /// client cannot grow the label set.
    static func label(_ method: HTTPMethod) -> String {
        if case .RAW = method { return "EXTENSION" }
        return method.rawValue
    }
}
