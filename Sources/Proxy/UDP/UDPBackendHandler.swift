import NIOCore

/// The handler on a session's connected socket: what the server sends goes back to the client
/// from the entry point's socket; socket errors end the session.
final class UDPBackendHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let session: UDPSession
    private let listener: UDPListenerHandler

    init(session: UDPSession, listener: UDPListenerHandler) {
        self.session = session
        self.listener = listener
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        listener.reply(envelope.data, from: session)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        listener.flushReplies()
        context.fireChannelReadComplete()
    }

    /// ICMP port unreachable surfaces as ECONNREFUSED on the connected socket's next read or
    /// write; any error ends the session (the client's next datagram opens a new one).
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        listener.sessionFailed(session, error: error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Closed by a failed write (NIO closes a datagram socket whose send fails hard).
        if !session.isClosed {
            listener.sessionFailed(session, error: nil)
        }
        context.fireChannelInactive()
    }
}
