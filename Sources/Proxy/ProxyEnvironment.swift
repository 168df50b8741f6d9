import Logging
import NIOCore
import Routing

/// What every connection of one entry point shares: its settings, the current snapshot, the
/// backend connection pools, the access log and the logger.
public final class EntryPointContext: Sendable {
    public let name: String
    /// The port the entry point listens on (reported in redirects).
    public let port: Int
    /// Networks whose X-Forwarded-* headers are believed (`forwardedHeaders.trustedIPs`).
    public let trustedIPs: [IPNetwork]
    /// Believe X-Forwarded-* from everyone (`forwardedHeaders.insecure`).
    public let forwardedHeadersInsecure: Bool
    public let timeouts: RespondingTimeouts
    /// `http2.maxConcurrentStreams`, default 250.
    public let maxConcurrentStreams: Int
    /// `http.maxHeaderBytes`: the most bytes an HTTP/1 request line and its header fields may
    /// take (431 beyond), default ``defaultMaxHeaderBytes``.
    public let maxHeaderBytes: Int
    /// Traefik's default for `maxHeaderBytes`, 1 MiB (Go's `http.DefaultMaxHeaderBytes`).
    public static let defaultMaxHeaderBytes = 1 << 20
    public let snapshots: SnapshotHolder
    public let pools: UpstreamPools
    public let accessLog: AccessLog?
    public let logger: Logger
    /// The value of X-Forwarded-Server (this host's name).
    public let serverName: String
    /// Answers ACME HTTP-01 challenges on this entry point (the resolvers'
    /// `httpChallenge.entryPoint`); `nil` on other entry points.
    public let httpChallenges: (any HTTPChallengeResponder)?
    /// Counts requests, connections and TLS handshakes for the metrics endpoint; `nil` counts nothing.
    public let metrics: TrafficMetrics?

    public init(
        name: String,
        port: Int,
        trustedIPs: [IPNetwork] = [],
        forwardedHeadersInsecure: Bool = false,
        timeouts: RespondingTimeouts = RespondingTimeouts(),
        maxConcurrentStreams: Int = 250,
        maxHeaderBytes: Int = EntryPointContext.defaultMaxHeaderBytes,
        snapshots: SnapshotHolder,
        pools: UpstreamPools,
        accessLog: AccessLog?,
        logger: Logger,
        serverName: String,
        httpChallenges: (any HTTPChallengeResponder)? = nil,
        metrics: TrafficMetrics? = nil
    ) {
        self.name = name
        self.port = port
        self.trustedIPs = trustedIPs
        self.forwardedHeadersInsecure = forwardedHeadersInsecure
        self.timeouts = timeouts
        self.maxConcurrentStreams = maxConcurrentStreams
        self.maxHeaderBytes = maxHeaderBytes
        self.snapshots = snapshots
        self.pools = pools
        self.accessLog = accessLog
        self.logger = logger
        self.serverName = serverName
        self.httpChallenges = httpChallenges
        self.metrics = metrics
    }

    /// Whether X-Forwarded-* headers from this client are kept.
    @inline(__always)
    func trusts(_ ip: IPAddress?) -> Bool {
        if forwardedHeadersInsecure { return true }
        guard let ip, !trustedIPs.isEmpty else { return false }
        for network in trustedIPs where network.contains(ip) { return true }
        return false
    }
}
