import NIOCore

/// Waits on a connected UDP socket for the response to one query.
final class DatagramResponseHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let query: DNSMessage
    private let completion: ExchangeCompletion

    init(query: DNSMessage, completion: ExchangeCompletion) {
        self.query = query
        self.completion = completion
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let message = try? DNSMessage(parsing: envelope.data), message.answers(self.query) else { return }
        self.completion.succeed(DNSResponse(message: message, bytes: envelope.data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // On a connected socket an ICMP "port unreachable" arrives here as ECONNREFUSED.
        self.completion.fail(error)
    }
}
