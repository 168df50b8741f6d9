import NIOCore

/// First handler of a backend connection that speaks the PROXY protocol: writes the header when
/// the connection is up, before any handler after it (TLS, the splice) can write, then leaves.
final class ProxyHeaderWriter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let header: [UInt8]

    init(header: [UInt8]) {
        self.header = header
    }

    func channelActive(context: ChannelHandlerContext) {
        let buffer = context.channel.allocator.buffer(bytes: header)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

@available(*, unavailable)
extension ProxyHeaderWriter: Sendable {}
