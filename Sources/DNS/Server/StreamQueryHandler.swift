import Logging
import NIOCore

/// Answers DNS queries on one TCP connection, each a length-prefixed message from
/// ``LengthPrefixedFrameDecoder``, in the order received; the connection stays open for more
/// (RFC 7766 §6.2.1) until the client closes it or it has been idle too long.
///
/// Stops reading while the connection is not writable, so a client that sends queries without
/// reading the answers cannot make the server buffer without bound.
final class StreamQueryHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: DNSResponder
    private var readPending = false
    private var needsFlush = false

    init(responder: DNSResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let query = Self.unwrapInboundIn(data)
        guard
            let response = self.responder.respond(
                to: query, over: .tcp, from: context.channel.remoteAddress, allocator: context.channel.allocator
            )
        else {
            // Not even a header, or a response: this is not a DNS client.
            context.close(promise: nil)
            return
        }
        context.write(Self.wrapOutboundOut(response), promise: nil)
        self.needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            self.readPending = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, self.readPending {
            self.readPending = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.responder.logger.debug(
            "DNS TCP connection error",
            metadata: ["client": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)"]
        )
        context.close(promise: nil)
    }
}
