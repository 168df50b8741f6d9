import NIOCore

/// The responding timeouts of an entry point (Traefik's `transport.respondingTimeouts`).
public struct RespondingTimeouts: Sendable {
    /// Longest time to receive a whole request head, counted from the connection's start or the
    /// first byte after an idle period. `nil` disables it. Traefik's default: 60 s.
    public var readTimeout: TimeAmount?
    /// Longest time from a request head until its response is fully written. `nil` (Traefik's
    /// default, 0) disables it.
    public var writeTimeout: TimeAmount?
    /// Longest time a keep-alive connection may sit idle. `nil` disables it. Traefik's default: 180 s.
    public var idleTimeout: TimeAmount?

    public init(readTimeout: TimeAmount? = .seconds(60), writeTimeout: TimeAmount? = nil, idleTimeout: TimeAmount? = .seconds(180)) {
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.idleTimeout = idleTimeout
    }
}

/// Enforces the responding timeouts of one client connection, first in its pipeline.
///
/// The request handlers report what they do (a request head arrived, a response ended); this
/// handler keeps a deadline for the current state and checks it on a coarse timer, so no timer is
/// scheduled or cancelled per request. HTTP/2 connections count their open streams.
///
/// Inbound only: it needs to see reads, never writes, so responses do not pass through it.
final class ConnectionTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private enum State {
        /// Waiting for a request head; close at the deadline.
        case reading(deadline: NIODeadline?)
        /// Requests in flight; close at the deadline if the responses aren't done (writeTimeout).
        case active(streams: Int, deadline: NIODeadline?)
        /// Keep-alive, nothing in flight, no bytes yet.
        case idle(deadline: NIODeadline?)
        /// Upgraded (WebSocket) or otherwise not subject to request timeouts.
        case exempt
    }

    private let timeouts: RespondingTimeouts
    private var state: State
    private var timer: RepeatedTask?
    private var quiescing = false
    /// Bytes arrived since the connection opened or last went idle (a request is being read).
    private var readingRequest = false
    private var context: ChannelHandlerContext?

    init(timeouts: RespondingTimeouts) {
        self.timeouts = timeouts
        self.state = .reading(deadline: timeouts.readTimeout.map { .now() + $0 })
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let shortest = [timeouts.readTimeout, timeouts.writeTimeout, timeouts.idleTimeout].compactMap { $0 }.min()
        guard let shortest else { return }
        // Check four times per shortest timeout, between 50 ms and 1 s.
        let quarter = TimeAmount.nanoseconds(shortest.nanoseconds / 4)
        let period = min(max(quarter, TimeAmount.milliseconds(50)), TimeAmount.seconds(1))
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            bound.value.check()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .idle = state {
            state = .reading(deadline: timeouts.readTimeout.map { .now() + $0 })
        }
        readingRequest = true
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiescing = true
            switch state {
            case .idle: context.close(promise: nil)
            case .reading where !readingRequest: context.close(promise: nil)
            default: break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// A request head arrived.
    func requestStarted() {
        switch state {
        case .active(let streams, let deadline):
            state = .active(streams: streams + 1, deadline: deadline)
        case .exempt:
            break
        default:
            state = .active(streams: 1, deadline: timeouts.writeTimeout.map { .now() + $0 })
        }
    }

    /// A response ended (or its request was abandoned).
    func requestFinished() {
        guard case .active(let streams, let deadline) = state else { return }
        if streams > 1 {
            state = .active(streams: streams - 1, deadline: deadline)
        } else {
            state = .idle(deadline: timeouts.idleTimeout.map { .now() + $0 })
            readingRequest = false
            if quiescing { context?.close(promise: nil) }
        }
    }

    /// The connection stopped being HTTP (an upgrade); only the peers close it from now on.
    func exempt() { state = .exempt }

    private func check() {
        let deadline: NIODeadline?
        switch state {
        case .reading(let d), .idle(let d), .active(_, let d): deadline = d
        case .exempt: deadline = nil
        }
        if let deadline, deadline <= .now() {
            context?.close(promise: nil)
        }
    }
}
