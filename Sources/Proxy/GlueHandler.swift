import NIOCore

/// One half of a byte splice between two channels of the same event loop (after an HTTP upgrade,
/// and for TCP passthrough): what one reads, the other writes, and reading pauses while the
/// partner cannot write.
final class GlueHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    /// This side's peer closed its half (seen only with `allowRemoteHalfClosure`).
    private var inputClosed = false
    /// After one side's half-close, how long the other direction may run before both close;
    /// `nil` waits for the other side to close too.
    private let terminationDelay: TimeAmount?

    private init(terminationDelay: TimeAmount?) {
        self.terminationDelay = terminationDelay
    }

    /// Two handlers joined to each other: add one to each channel. The partner may be added
    /// later: until both are in place neither side reads.
    static func matchedPair(terminationDelay: TimeAmount? = nil) -> (GlueHandler, GlueHandler) {
        let first = GlueHandler(terminationDelay: terminationDelay)
        let second = GlueHandler(terminationDelay: terminationDelay)
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // A partner that asked to read while this side was missing may go on now.
        if context.channel.isWritable {
            partner?.partnerBecameWritable()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    private func partnerWrite(_ data: NIOAny) { context?.write(data, promise: nil) }
    private func partnerFlush() { context?.flush() }
    private func partnerWriteEOF() { context?.close(mode: .output, promise: nil) }
    private func partnerCloseFull() { context?.close(promise: nil) }
    private var partnerIsWritable: Bool { context?.channel.isWritable ?? false }

    private func partnerBecameWritable() {
        if pendingRead {
            pendingRead = false
            context?.read()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.partnerWrite(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerCloseFull()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            inputClosed = true
            partner?.partnerWriteEOF()
            if partner?.inputClosed ?? true {
                closeBoth()
            } else if let terminationDelay {
                _ = context.eventLoop.assumeIsolated().scheduleTask(in: terminationDelay) { self.closeBoth() }
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Both directions are done (or their time is up): close both channels.
    private func closeBoth() {
        partner?.partnerCloseFull()
        context?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !channelClosesItself(after: error) {
            context.close(promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            partner?.partnerBecameWritable()
        }
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.partnerIsWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
