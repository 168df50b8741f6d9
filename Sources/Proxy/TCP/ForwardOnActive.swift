import NIOCore

/// Starts forwarding an accepted connection once it is active — for routers that dial the
/// backend without waiting for the client's first bytes. The backend must not answer into a
/// connection that is not registered yet, which is what the child channel initializer has.
final class ForwardOnActive: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let start: (any Channel) -> Void

    /// `start` is called once, on the event loop, with the active channel.
    init(start: @escaping (any Channel) -> Void) {
        self.start = start
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        let channel = context.channel
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        start(channel)
    }
}

@available(*, unavailable)
extension ForwardOnActive: Sendable {}
