import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A keep-alive connection to one backend, owned by one event loop.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    let key: String
    /// When it went back to the pool; used to close connections idle longer than idleConnTimeout.
    var idleSince: NIODeadline = .now()
    /// How many requests it has carried (the first one is never retried on a fresh connection).
    var requestCount = 0

    init(channel: any Channel, handler: UpstreamHandler, key: String) {
        self.channel = channel
        self.handler = handler
        self.key = key
    }
}

/// Idle backend connections of one event loop, keyed by backend and transport.
///
/// Confined to its event loop: connections are only ever used by client channels of the same
/// loop, so a request never hops threads.
final class UpstreamPool {
    let eventLoop: any EventLoop
    private var idle: [String: [UpstreamConnection]] = [:]
    private var sweeper: RepeatedTask?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// A pooled connection that is still open, most recently used first.
    func takeIdle(for upstream: Upstream) -> UpstreamConnection? {
        guard var list = idle[upstream.poolKey] else { return nil }
        while let conn = list.popLast() {
            if conn.channel.isActive {
                idle[upstream.poolKey] = list
                conn.handler.onIdleClose = nil
                return conn
            }
        }
        idle[upstream.poolKey] = nil
        return nil
    }

    /// Opens a new connection to `upstream` on this pool's event loop.
    func connect(to upstream: Upstream) -> EventLoopFuture<UpstreamConnection> {
        let transport = upstream.transport
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(transport.dialTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if upstream.isTLS {
                        guard let context = transport.tlsContext else {
                            throw UpstreamTLSUnavailable(url: upstream.url)
                        }
                        let sni = transport.serverName ?? upstream.host
                        let isIP = (try? SocketAddress(ipAddress: sni, port: 0)) != nil
                        try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: isIP ? nil : sni))
                    }
                    // Encoder first, then the decoder, which watches outgoing heads to know which answers
                    // (to HEAD) carry no body. Headers were validated by the server-side parser already.
                    try sync.addHandler(HTTPRequestEncoder())
                    try sync.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)))
                    try sync.addHandler(UpstreamHandler())
                }
            }
        let connected: EventLoopFuture<any Channel>
        if let address = upstream.resolvedAddress {
            connected = bootstrap.connect(to: address)
        } else {
            connected = bootstrap.connect(host: upstream.host, port: upstream.port)
        }
        let key = upstream.poolKey
        return connected.flatMapThrowing { channel in
            let handler = try channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
            return UpstreamConnection(channel: channel, handler: handler, key: key)
        }
    }

    /// Returns a connection whose exchange ended cleanly; it is closed instead when the pool for its
    /// backend is full.
    func release(_ conn: UpstreamConnection, transport: UpstreamTransport) {
        conn.handler.delegate = nil
        guard conn.channel.isActive else { return }
        var list = idle[conn.key, default: []]
        if list.count >= transport.maxIdleConnsPerHost {
            conn.channel.close(promise: nil)
            return
        }
        conn.idleSince = .now()
        let key = conn.key
        conn.handler.onIdleClose = { [unowned self, unowned conn] in
            self.remove(conn, key: key)
        }
        list.append(conn)
        idle[key] = list
        startSweeper(every: min(transport.idleConnTimeout, .seconds(5)), maxIdle: transport.idleConnTimeout)
    }

    private func remove(_ conn: UpstreamConnection, key: String) {
        guard var list = idle[key] else { return }
        list.removeAll { $0 === conn }
        idle[key] = list.isEmpty ? nil : list
    }

    private func startSweeper(every interval: TimeAmount, maxIdle: TimeAmount) {
        guard sweeper == nil else { return }
        let period = max(interval, .milliseconds(100))
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        sweeper = eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            bound.value.sweep(maxIdle: maxIdle)
        }
    }

    private func sweep(maxIdle: TimeAmount) {
        let cutoff = NIODeadline.now() - maxIdle
        for (key, list) in idle {
            var kept: [UpstreamConnection] = []
            for conn in list {
                if conn.idleSince < cutoff || !conn.channel.isActive {
                    conn.handler.onIdleClose = nil
                    conn.channel.close(promise: nil)
                } else {
                    kept.append(conn)
                }
            }
            idle[key] = kept.isEmpty ? nil : kept
        }
    }

    /// Closes every idle connection (shutdown).
    func closeAll() {
        sweeper?.cancel()
        sweeper = nil
        for list in idle.values {
            for conn in list {
                conn.handler.onIdleClose = nil
                conn.channel.close(promise: nil)
            }
        }
        idle = [:]
    }
}

/// The pools of every event loop of a group; each pool is only touched on its own loop.
public final class UpstreamPools: @unchecked Sendable {
    // Immutable after init; each value is confined to the loop it is keyed by.
    private let pools: [ObjectIdentifier: UpstreamPool]

    public init(group: any EventLoopGroup) {
        var pools: [ObjectIdentifier: UpstreamPool] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = UpstreamPool(eventLoop: loop)
        }
        self.pools = pools
    }

    func pool(for eventLoop: any EventLoop) -> UpstreamPool {
        eventLoop.preconditionInEventLoop()
        return pools[ObjectIdentifier(eventLoop)]!
    }

    /// Closes the idle connections of every loop.
    public func closeAll() {
        for pool in pools.values {
            let loop = pool.eventLoop
            loop.execute { self.pool(for: loop).closeAll() }
        }
    }
}

/// An `https://` backend with no TLS client context configured.
struct UpstreamTLSUnavailable: Error, CustomStringConvertible {
    let url: String
    var description: String { "no TLS client configuration for \(url)" }
}
