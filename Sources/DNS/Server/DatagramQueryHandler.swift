import Logging
import NIOCore

/// Answers DNS queries arriving as UDP datagrams, one response per query to the sender's
/// address. Responses are flushed once per read burst.
///
/// Errors never close the channel: one client's ICMP "port unreachable" (reported on a later
/// write or read) must not stop the server for everyone else.
final class DatagramQueryHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let responder: DNSResponder
    private var needsFlush = false

    init(responder: DNSResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard
            let response = self.responder.respond(
                to: envelope.data, over: .udp, from: envelope.remoteAddress, allocator: context.channel.allocator
            )
        else { return }
        context.write(Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: response)), promise: nil)
        self.needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.responder.logger.debug("DNS UDP socket error", metadata: ["error": "\(error)"])
    }
}
