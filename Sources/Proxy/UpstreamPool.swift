import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A keep-alive connection to one backend, owned by one event loop.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    let key: PoolKey
    /// When it went back to the pool; used to close connections idle longer than idleConnTimeout.
    var idleSince: NIODeadline = .now()
    /// Whether it sits in its pool's idle stack right now.
    var isIdle = false
    /// How many requests it has carried (the first one is never retried on a fresh connection).
    var requestCount = 0

    init(channel: any Channel, handler: UpstreamHandler, key: PoolKey) {
        self.channel = channel
        self.handler = handler
        self.key = key
    }
}

/// The idle connections to one backend, most recently used last. A class, so that taking and
/// returning a connection mutates the stack in place instead of copying it out of the
/// dictionary and back (which copied every element on every request).
private final class IdleStack {
    var connections: [UpstreamConnection] = []
}

/// Idle backend connections of one event loop, keyed by backend and transport.
///
/// Confined to its event loop: connections are only ever used by client channels of the same
/// loop, so a request never hops threads.
final class UpstreamPool {
    let eventLoop: any EventLoop
    private var idle: [PoolKey: IdleStack] = [:]
    private var sweeper: RepeatedTask?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// A pooled connection that is still open, most recently used first.
    func takeIdle(for upstream: Upstream) -> UpstreamConnection? {
        guard let stack = idle[upstream.poolKey] else { return nil }
        while let conn = stack.connections.popLast() {
            conn.isIdle = false
            if conn.channel.isActive {
                return conn
            }
        }
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
                        try sync.addHandler(NIOSSLClientHandler.towardsBackend(context: context, serverName: transport.serverName, host: upstream.host))
                    }
                    // It writes the requests and parses the responses itself.
                    try sync.addHandler(UpstreamHandler())
                }
            }
        let connected = bootstrap.connect(resolved: upstream.resolvedAddress, host: upstream.host, port: upstream.port)
        let key = upstream.poolKey
        return connected.flatMapThrowing { [unowned self] channel in
            let handler = try channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
            let conn = UpstreamConnection(channel: channel, handler: handler, key: key)
            // A connection that closes while idle leaves the pool at once.
            handler.onIdleClose = { [unowned self, unowned conn] in
                self.remove(conn)
            }
            return conn
        }
    }

    /// Returns a connection whose exchange ended cleanly; it is closed instead when the pool for its
    /// backend is full.
    func release(_ conn: UpstreamConnection, transport: UpstreamTransport) {
        conn.handler.delegate = nil
        guard conn.channel.isActive else { return }
        let stack: IdleStack
        if let existing = idle[conn.key] {
            stack = existing
        } else {
            stack = IdleStack()
            idle[conn.key] = stack
        }
        if stack.connections.count >= transport.maxIdleConnsPerHost {
            conn.channel.close(promise: nil)
            return
        }
        conn.idleSince = .now()
        conn.isIdle = true
        stack.connections.append(conn)
        if sweeper == nil {
            startSweeper(every: min(transport.idleConnTimeout, .seconds(5)), maxIdle: transport.idleConnTimeout)
        }
    }

    private func remove(_ conn: UpstreamConnection) {
        guard conn.isIdle, let stack = idle[conn.key] else { return }
        conn.isIdle = false
        stack.connections.removeAll { $0 === conn }
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
        for (key, stack) in idle {
            // Oldest first: the stack is ordered by idleSince.
            let stale = stack.connections.prefix { $0.idleSince < cutoff || !$0.channel.isActive }
            for conn in stale {
                conn.isIdle = false
                conn.channel.close(promise: nil)
            }
            stack.connections.removeFirst(stale.count)
            if stack.connections.isEmpty { idle[key] = nil }
        }
    }

    /// Closes every idle connection (shutdown).
    func closeAll() {
        sweeper?.cancel()
        sweeper = nil
        let stacks = idle.values
        idle = [:]
        for stack in stacks {
            for conn in stack.connections {
                conn.isIdle = false
                conn.channel.close(promise: nil)
            }
        }
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
