#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore

/// The handler on a UDP entry point's socket. A datagram from a client with a session goes to
/// that session's server; one from a new client opens a session with the server the current
/// snapshot's route picks. Replies go back from this socket. Sessions idle for the timeout are
/// closed by a periodic sweep. Everything runs on the socket's event loop; nothing blocks it
/// (host names are resolved on the thread pool).
final class UDPListenerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// Receive buffers hold the largest UDP payload whole (65,507 bytes over IPv4, 65,527 over
    /// IPv6), so no datagram is truncated.
    static let receiveBufferSize = 65_536

    private let entryPoint: String
    private let snapshots: SnapshotHolder
    private let settings: UDPEntryPoint.Settings
    private let logger: Logger
    private var table: UDPSessionTable<UDPSession>
    private var warnings: UDPWarningLimiter
    private var context: ChannelHandlerContext?
    private var sweep: Scheduled<Void>?
    private var repliesPending = false

    init(entryPoint: String, snapshots: SnapshotHolder, settings: UDPEntryPoint.Settings, logger: Logger) {
        self.entryPoint = entryPoint
        self.snapshots = snapshots
        self.settings = settings
        var logger = logger
        logger[metadataKey: "entryPoint"] = "\(entryPoint)"
        self.logger = logger
        self.table = UDPSessionTable(limit: settings.maxSessions, idleTimeout: settings.idleTimeout)
        self.warnings = UDPWarningLimiter(interval: settings.warningInterval)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        scheduleSweep(on: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closeAll()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        let client = envelope.remoteAddress
        let now = NIODeadline.now()
        if let session = table.session(for: client, now: now) {
            if !session.forward(envelope.data) {
                logger.trace("UDP datagram dropped: session busy", metadata: ["client": "\(client)"])
            }
            return
        }
        // A session idle past the timeout but not yet swept ends now; the client starts afresh.
        table.remove(client)?.close()

        guard let route = snapshots.current.udp[entryPoint] else {
            warn("no-route", "UDP datagram dropped: no UDP router on this entry point", ["client": "\(client)"], now: now)
            return
        }
        guard !table.isFull else {
            warn("full", "UDP datagram dropped: session limit reached",
                 ["router": "\(route.routerName)", "limit": "\(settings.maxSessions)"], now: now)
            return
        }
        guard let server = route.service.nextServer() else {
            warn("no-server:\(route.routerName)", "UDP datagram dropped: service has no server",
                 ["router": "\(route.routerName)", "service": "\(route.service.name)"], now: now)
            return
        }
        let session = UDPSession(client: client, server: server, routerName: route.routerName, maxPending: settings.maxPendingDatagrams)
        _ = table.insert(session, for: client, now: now)
        logger.debug("UDP session opened", metadata: ["client": "\(client)", "router": "\(route.routerName)", "server": "\(server)"])
        session.forward(envelope.data)
        session.open(on: context.eventLoop, listener: self)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushReplies()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The entry point socket stays open: one client's ICMP error must not stop the others.
        warn("listener-error", "UDP entry point socket error", ["error": "\(error)"], now: .now())
    }

    // MARK: Called by sessions (same event loop)

    /// Sends `datagram` from the server of `session` back to its client; dropped when the entry
    /// point's send queue is full (UDP may drop; memory stays bounded).
    func reply(_ datagram: ByteBuffer, from session: UDPSession) {
        guard let context, !session.isClosed else { return }
        table.touch(session.client, now: .now())
        guard context.channel.isWritable else {
            logger.trace("UDP reply dropped: entry point send queue full", metadata: ["client": "\(session.client)"])
            return
        }
        context.write(Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: session.client, data: datagram)), promise: nil)
        repliesPending = true
    }

    /// Flushes replies written since the last flush.
    func flushReplies() {
        guard repliesPending, let context else { return }
        repliesPending = false
        context.flush()
    }

    /// Ends `session` after its socket failed with `error`, or was closed by a failed send
    /// (`nil`: NIO closes a datagram socket whose send fails, as it does after the server's ICMP
    /// port unreachable).
    func sessionFailed(_ session: UDPSession, error: (any Error)?) {
        guard !session.isClosed else { return }
        session.close()
        if let current = table.peek(session.client), current === session {
            table.remove(session.client)
        }
        let reason = error.map(Self.describe) ?? "send failed, socket closed (ICMP port unreachable?)"
        let metadata: Logger.Metadata = [
            "router": "\(session.routerName)", "server": "\(session.server)", "client": "\(session.client)", "error": "\(reason)",
        ]
        warn("server:\(session.routerName):\(session.server)", "UDP server unreachable; session dropped", metadata, now: .now())
    }

    /// Logs a warning, or at debug level when one with the same key was logged within the
    /// warning interval.
    private func warn(_ key: String, _ message: Logger.Message, _ metadata: Logger.Metadata, now: NIODeadline) {
        if warnings.allow(key, now: now) {
            logger.warning(message, metadata: metadata)
        } else {
            logger.debug(message, metadata: metadata)
        }
    }

    // MARK: Expiry and shutdown

    private func scheduleSweep(on eventLoop: any EventLoop) {
        sweep = eventLoop.assumeIsolated().scheduleTask(in: settings.sweepInterval) { [self] in
            let expired = table.removeExpired(now: .now())
            for session in expired {
                session.close()
            }
            if !expired.isEmpty {
                logger.debug("UDP sessions expired", metadata: ["count": "\(expired.count)", "open": "\(table.count)"])
            }
            if context != nil { scheduleSweep(on: eventLoop) }
        }
    }

    private func closeAll() {
        sweep?.cancel()
        sweep = nil
        for session in table.removeAll() {
            session.close()
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED {
            return "connection refused (ICMP port unreachable)"
        }
        return "\(error)"
    }
}
