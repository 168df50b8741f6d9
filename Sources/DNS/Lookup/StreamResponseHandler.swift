import NIOCore

/// Sends one length-prefixed query on a new TCP connection and waits for its response.
final class StreamResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let query: DNSMessage
    private let completion: ExchangeCompletion

    init(query: DNSMessage, completion: ExchangeCompletion) {
        self.query = query
        self.completion = completion
    }

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 512)
        buffer.writeInteger(UInt16(0))
        self.query.write(to: &buffer)
        buffer.setInteger(UInt16(buffer.readableBytes - 2), at: buffer.readerIndex)
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let message = try? DNSMessage(parsing: Self.unwrapInboundIn(data)), message.answers(self.query) else { return }
        self.completion.succeed(message)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.completion.fail(ExchangeFailure.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.completion.fail(error)
        context.close(promise: nil)
    }
}
