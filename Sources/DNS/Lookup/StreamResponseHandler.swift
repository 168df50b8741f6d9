import NIOCore

/// Sends one length-prefixed query on a new TCP connection and waits for its response.
final class StreamResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let query: DNSMessage
    private let wire: ByteBuffer
    private let completion: ExchangeCompletion

    /// - Parameter wire: the query as sent (it may carry a signature the message does not).
    init(query: DNSMessage, wire: ByteBuffer, completion: ExchangeCompletion) {
        self.query = query
        self.wire = wire
        self.completion = completion
    }

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: self.wire.readableBytes + 2)
        buffer.writeInteger(UInt16(self.wire.readableBytes))
        buffer.writeImmutableBuffer(self.wire)
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Self.unwrapInboundIn(data)
        guard let message = try? DNSMessage(parsing: bytes), message.answers(self.query) else { return }
        self.completion.succeed(DNSResponse(message: message, bytes: bytes))
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
