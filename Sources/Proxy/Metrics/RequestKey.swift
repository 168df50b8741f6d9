/// What one request is counted under: the labels Traefik's request metrics carry.
///
/// Built on the request path from values the proxy already holds; hashed only into the
/// event loop's own ``TrafficShard``, never into a shared table.
public struct RequestKey: Sendable, Hashable {
    /// The entry point's name.
    public var entryPoint: String
    /// The router's name with its provider (`api@file`); empty when no router matched.
    public var router: String
    /// The service's name; empty when the proxy answered itself (404, redirect, middleware).
    public var service: String
    /// The status code sent to the client.
    public var code: Int
    /// The request method (`GET`); methods outside RFC 9110's and WebDAV's list count as `EXTENSION`.
    public var method: String
    /// `http`, or `websocket` for a switched protocol.
    public var protocolName: String

    /// A key.
    public init(entryPoint: String, router: String, service: String, code: Int, method: String, protocolName: String) {
        self.entryPoint = entryPoint
        self.router = router
        self.service = service
        self.code = code
        self.method = method
        self.protocolName = protocolName
    }
}

/// The request count and duration distribution of one ``RequestKey``.
public struct RequestCell: Sendable, Hashable {
    /// Requests counted.
    public var count: Int
    /// Their durations added up, in seconds.
    public var durationSum: Double
    /// Requests per bucket, not cumulative: `bucketCounts[i]` counts durations above the
    /// previous bound and up to `bounds[i]`; durations above the last bound are only in ``count``.
    public var bucketCounts: [Int]

    /// An empty cell for `bucketCount` buckets.
    public init(bucketCount: Int) {
        count = 0
        durationSum = 0
        bucketCounts = Array(repeating: 0, count: bucketCount)
    }

    /// Adds one request of `seconds` that falls in bucket `bucket` (`nil`: above every bound).
    @inline(__always)
    mutating func add(seconds: Double, bucket: Int?) {
        count += 1
        durationSum += seconds
        if let bucket { bucketCounts[bucket] += 1 }
    }

    /// Adds another cell's counts (same buckets).
    mutating func merge(_ other: RequestCell) {
        count += other.count
        durationSum += other.durationSum
        for index in bucketCounts.indices where index < other.bucketCounts.count {
            bucketCounts[index] += other.bucketCounts[index]
        }
    }
}

/// A TLS handshake counted by entry point and negotiated version.
public struct HandshakeKey: Sendable, Hashable {
    /// The entry point's name.
    public var entryPoint: String
    /// The version as Traefik writes it: `1.2`, `1.3`.
    public var version: String

    /// A key.
    public init(entryPoint: String, version: String) {
        self.entryPoint = entryPoint
        self.version = version
    }
}
