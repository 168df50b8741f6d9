import NIOCore

/// Turns the flushes of one event-loop tick into one.
///
/// An HTTP/2 connection carries many streams, and their responses come back from different
/// backend connections, each of which would flush the client connection on its own: one TLS
/// record and one `write(2)` per response. Placed below the HTTP/2 handler, this handler lets
/// the first flush of a tick through only once the loop has handled every ready socket, so
/// the responses that became ready together leave together.
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var flushScheduled = false

    func flush(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            context.flush()
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Whatever was written before the close goes out first.
        if flushScheduled {
            flushScheduled = false
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }
}
