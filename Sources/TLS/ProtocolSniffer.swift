import Logging
import NIOCore

/// The first handler on an accepted connection: tells TLS from plaintext by the first bytes, and
/// for TLS reads the ClientHello (SNI and ALPN) before any TLS library sees it.
///
/// The sniffer buffers inbound bytes until it can decide:
/// - first byte other than 22 (a TLS handshake record) → ``SniffResult/plaintext``, at once;
/// - a complete ClientHello → ``SniffResult/tls(_:)``;
/// - a malformed or oversized ClientHello, or no decision before `timeout` → the channel is closed.
///
/// On a decision it calls `configure`, which adds the handlers that come after it (for example
/// `NIOSSLServerHandler` and an HTTP server). When the returned future succeeds, the sniffer
/// passes every byte it has received — the sniffed bytes and whatever arrived while the future
/// was pending — down the pipeline exactly once and in order, then removes itself. If the future
/// fails, the channel is closed. If the channel becomes inactive before then, the buffered bytes
/// are dropped and the future's outcome is ignored.
///
/// Works with `autoRead` on (the usual case) and off: with it off, the sniffer asks for more
/// reads only while it still needs bytes to decide.
public final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    /// Called once, on the channel's event loop, with the decision and the channel. It adds the
    /// handlers for the detected protocol and returns a future that succeeds when the pipeline
    /// is ready for the buffered bytes.
    public typealias Configure = (SniffResult, any Channel) -> EventLoopFuture<Void>

    private enum State {
        /// Collecting bytes until a decision can be made.
        case sniffing(ByteBuffer?)
        /// Decided; waiting for the `configure` future. New bytes are appended.
        case configuring(ByteBuffer, inputClosed: Bool)
        /// Replaying buffered bytes; bytes read re-entrantly meanwhile wait in `pending`.
        case forwarding(pending: ByteBuffer?, inputClosed: Bool)
        /// Done: everything passes through until the handler is gone.
        case passthrough
        /// The connection was refused or went away; inbound bytes are dropped.
        case closed
    }

    private let configure: Configure
    private let timeout: TimeAmount?
    private let parser: ClientHelloParser
    private let logger: Logger?
    private var state: State = .sniffing(nil)
    private var deadline: Scheduled<Void>? = nil
    private var deadlineStarted = false
    /// Between a channelRead and its channelReadComplete.
    private var inReadCycle = false

    /// - Parameters:
    ///   - timeout: how long the client has, from the moment the connection is active, to send
    ///     enough bytes for a decision; `nil` waits forever. Typically the entry point's read
    ///     timeout.
    ///   - parser: the ClientHello parser; its `maximumLength` caps what is buffered.
    ///   - logger: when given, refused connections are logged at debug level (never payloads).
    ///   - configure: see ``Configure``.
    public init(
        timeout: TimeAmount? = nil,
        parser: ClientHelloParser = ClientHelloParser(),
        logger: Logger? = nil,
        configure: @escaping Configure
    ) {
        self.timeout = timeout
        self.parser = parser
        self.logger = logger
        self.configure = configure
    }

    // MARK: - Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.startDeadline(context: context)
            self.readIfNotAutoRead(context: context)
        }
    }

    public func channelActive(context: ChannelHandlerContext) {
        self.startDeadline(context: context)
        context.fireChannelActive()
        self.readIfNotAutoRead(context: context)
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelDeadline()
        // Removed by someone else before we finished: hand on what we hold rather than lose it.
        switch self.state {
        case .sniffing(let buffered?), .configuring(let buffered, _), .forwarding(let buffered?, _):
            self.state = .passthrough
            context.fireChannelRead(self.wrapInboundOut(buffered))
            context.fireChannelReadComplete()
        case .sniffing(nil), .forwarding(nil, _), .passthrough, .closed:
            self.state = .passthrough
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        self.cancelDeadline()
        switch self.state {
        case .forwarding(let pending, _):
            // Inactive arrived while we were replaying: whatever was read before it goes first.
            self.state = .closed
            if let pending {
                context.fireChannelRead(self.wrapInboundOut(pending))
            }
        case .sniffing, .configuring:
            self.state = .closed
        case .passthrough, .closed:
            break
        }
        context.fireChannelInactive()
    }

    // MARK: - Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.inReadCycle = true
        switch self.state {
        case .sniffing(var buffered):
            self.state = .closed  // drop the enum's reference so the append below does not copy
            let bytes = self.unwrapInboundIn(data)
            if buffered == nil {
                buffered = bytes
            } else {
                buffered!.writeImmutableBuffer(bytes)
            }
            self.state = .sniffing(buffered)
            self.sniff(context: context, buffered: buffered!)

        case .configuring(var buffered, let inputClosed):
            self.state = .closed
            buffered.writeImmutableBuffer(self.unwrapInboundIn(data))
            self.state = .configuring(buffered, inputClosed: inputClosed)

        case .forwarding(var pending, let inputClosed):
            self.state = .closed
            if pending == nil {
                pending = self.unwrapInboundIn(data)
            } else {
                pending!.writeImmutableBuffer(self.unwrapInboundIn(data))
            }
            self.state = .forwarding(pending: pending, inputClosed: inputClosed)

        case .passthrough:
            context.fireChannelRead(data)

        case .closed:
            break
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        self.inReadCycle = false
        switch self.state {
        case .sniffing:
            self.readIfNotAutoRead(context: context)
        case .passthrough:
            context.fireChannelReadComplete()
        case .configuring, .forwarding, .closed:
            // One readComplete follows the replay.
            break
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            switch self.state {
            case .sniffing:
                // The client half-closed before we could tell what it speaks.
                self.refuse(context: context, reason: "input closed before the protocol was known")
                return
            case .configuring(let buffered, _):
                self.state = .configuring(buffered, inputClosed: true)
                return
            case .forwarding(let pending, _):
                self.state = .forwarding(pending: pending, inputClosed: true)
                return
            case .passthrough, .closed:
                break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// While undecided the sniffer is the last handler, so with autoRead off nobody else would
    /// ask for the bytes it needs.
    private func readIfNotAutoRead(context: ChannelHandlerContext) {
        guard case .sniffing = self.state else { return }
        if let autoRead = try? context.channel.syncOptions?.getOption(ChannelOptions.autoRead), !autoRead {
            context.read()
        }
    }

    // MARK: - Deciding

    private func sniff(context: ChannelHandlerContext, buffered: ByteBuffer) {
        guard let first = buffered.getInteger(at: buffered.readerIndex, as: UInt8.self) else {
            return  // an empty read
        }
        guard first == Self.tlsHandshakeContentType else {
            self.decide(context: context, result: .plaintext, buffered: buffered)
            return
        }
        switch self.parser.parse(buffered) {
        case .needMoreData:
            // The parser refuses oversized input by its lengths; this is a second fence.
            if buffered.readableBytes > self.parser.maximumLength + 5 {
                self.refuse(context: context, reason: "TLS ClientHello too large")
            }
        case .clientHello(let hello):
            self.decide(context: context, result: .tls(hello), buffered: buffered)
        case .notTLS:
            self.refuse(context: context, reason: "malformed or oversized TLS ClientHello")
        }
    }

    private func decide(context: ChannelHandlerContext, result: SniffResult, buffered: ByteBuffer) {
        self.cancelDeadline()
        self.state = .configuring(buffered, inputClosed: false)
        self.configure(result, context.channel)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { outcome in
                self.configured(context: context, outcome: outcome)
            }
    }

    private func configured(context: ChannelHandlerContext, outcome: Result<Void, any Error>) {
        guard case .configuring(let buffered, let inputClosed) = self.state else {
            return  // the channel went away (or we were removed) meanwhile
        }
        switch outcome {
        case .failure(let error):
            self.logger?.debug(
                "closing connection: pipeline configuration failed",
                metadata: ["error": "\(error)", "client": "\(context.channel.remoteAddress.map { "\($0)" } ?? "-")"]
            )
            self.state = .closed
            context.close(promise: nil)
        case .success:
            self.replay(context: context, buffered: buffered, inputClosed: inputClosed)
        }
    }

    /// Passes the buffered bytes on, then anything read re-entrantly while doing so, then
    /// removes the handler.
    private func replay(context: ChannelHandlerContext, buffered: ByteBuffer, inputClosed: Bool) {
        self.state = .forwarding(pending: nil, inputClosed: inputClosed)
        var next: ByteBuffer? = buffered
        while let bytes = next {
            context.fireChannelRead(self.wrapInboundOut(bytes))
            guard case .forwarding(let pending, let inputClosed) = self.state else {
                return  // went inactive or was removed during the read; that path handed on the rest
            }
            self.state = .forwarding(pending: nil, inputClosed: inputClosed)
            next = pending
        }
        guard case .forwarding(_, let inputClosed) = self.state else { return }
        self.state = .passthrough
        // Inside a read cycle the channel's own readComplete follows and, the sniffer being gone
        // by then, reaches the next handler; firing one here as well would double it.
        if !self.inReadCycle {
            context.fireChannelReadComplete()
        }
        if inputClosed {
            context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func refuse(context: ChannelHandlerContext, reason: String) {
        self.cancelDeadline()
        self.state = .closed
        self.logger?.debug(
            "closing connection",
            metadata: ["reason": "\(reason)", "client": "\(context.channel.remoteAddress.map { "\($0)" } ?? "-")"]
        )
        context.close(promise: nil)
    }

    // MARK: - Deadline

    private func startDeadline(context: ChannelHandlerContext) {
        guard !self.deadlineStarted, let timeout = self.timeout else { return }
        self.deadlineStarted = true
        guard case .sniffing = self.state else { return }
        self.deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.deadline = nil
            guard case .sniffing = self.state else { return }
            self.refuse(context: context, reason: "no ClientHello or request within \(timeout)")
        }
    }

    private func cancelDeadline() {
        self.deadline?.cancel()
        self.deadline = nil
    }

    private static let tlsHandshakeContentType: UInt8 = 22
}

@available(*, unavailable)
extension ProtocolSniffer: Sendable {}
