import NIOCore
import NIOHTTP1

/// Receives what a backend connection delivers. Implemented by the client-side proxy handler;
/// every call happens on the shared event loop.
protocol UpstreamDelegate: AnyObject {
    func upstreamResponseHead(_ head: HTTPResponseHead)
    func upstreamResponseBody(_ body: ByteBuffer)
    func upstreamResponseEnd(_ trailers: HTTPHeaders?)
    func upstreamReadComplete()
    func upstreamWritabilityChanged(isWritable: Bool)
    /// The connection failed or closed before the response ended.
    func upstreamFailed(_ error: any Error)
    /// Whether the client can take more bytes now; reads from the backend pause while it can't.
    var clientIsWritable: Bool { get }
}

/// The last handler of a pooled backend connection: relays response parts to the current
/// delegate, and pauses reading from the backend while the client can't keep up.
final class UpstreamHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    weak var delegate: (any UpstreamDelegate)?
    /// Called when the connection closes while it sits idle in the pool.
    var onIdleClose: (() -> Void)?
    private var pendingRead = false
    private(set) var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let delegate else { return }  // stray bytes on an idle connection: it will be closed
        switch unwrapInboundIn(data) {
        case .head(let head): delegate.upstreamResponseHead(head)
        case .body(let body): delegate.upstreamResponseBody(body)
        case .end(let trailers): delegate.upstreamResponseEnd(trailers)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        delegate?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
    }

    func read(context: ChannelHandlerContext) {
        if let delegate, !delegate.clientIsWritable {
            pendingRead = true
        } else {
            context.read()
        }
    }

    /// Issues a read that was held back while the client was not writable.
    func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let delegate {
            self.delegate = nil
            delegate.upstreamFailed(error)
        }
        if !channelClosesItself(after: error) {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let delegate {
            self.delegate = nil
            delegate.upstreamFailed(UpstreamClosedError())
        } else {
            onIdleClose?()
        }
        context.fireChannelInactive()
    }
}

/// The backend closed the connection before the response was complete.
struct UpstreamClosedError: Error, CustomStringConvertible {
    var description: String { "backend closed the connection" }
}
