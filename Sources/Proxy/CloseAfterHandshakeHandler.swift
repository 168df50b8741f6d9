import NIOCore
import NIOTLS

/// Closes the connection as soon as the TLS handshake completes (or fails): for TLS-ALPN-01
/// challenge connections, where the handshake is the whole exchange. Anything the client
/// sends afterwards is dropped.
final class CloseAfterHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !channelClosesItself(after: error) {
            context.close(promise: nil)
        }
    }
}
