import NIOCore

/// First handler of a backend connection that speaks the PROXY protocol: the header goes out
/// before any other byte — on the first write (the client's bytes may be written as soon as the
/// connect promise succeeds, before `channelActive` reaches this handler) or when the connection
/// becomes active, whichever comes first.
final class ProxyHeaderWriter: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = ByteBuffer

    private var header: [UInt8]?

    init(header: [UInt8]) {
        self.header = header
    }

    /// Writes the header if it has not gone out yet.
    private func sendHeader(context: ChannelHandlerContext) -> Bool {
        guard let header else { return false }
        self.header = nil
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: header)), promise: nil)
        return true
    }

    func channelActive(context: ChannelHandlerContext) {
        if sendHeader(context: context) {
            context.flush()
        }
        context.fireChannelActive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        _ = sendHeader(context: context)
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension ProxyHeaderWriter: Sendable {}
