import NIOCore
import NIOHTTP1

/// Receives what a backend connection delivers. Implemented by the client-side proxy handler;
/// every call happens on the shared event loop.
protocol UpstreamDelegate: AnyObject {
    /// A response head; it is the delegate's (consumed), so that editing it copies nothing.
    func upstreamResponseHead(_ head: consuming HTTPResponseHead)
    func upstreamResponseBody(_ body: ByteBuffer)
    func upstreamResponseEnd(_ trailers: HTTPHeaders?)
    func upstreamReadComplete()
    func upstreamWritabilityChanged(isWritable: Bool)
    /// The connection failed or closed before the response ended.
    func upstreamFailed(_ error: any Error)
    /// Whether the client can take more bytes now; reads from the backend pause while it can't.
    var clientIsWritable: Bool { get }
}

/// The HTTP/1 end of a pooled backend connection: it writes requests as bytes
/// (``HTTP1MessageEncoder``), parses the responses (``HTTP1Parser``) and relays their parts to
/// the current delegate, and pauses reading from the backend while the client can't keep up.
/// Requests are written through it (``send(_:promise:)``), so it knows which response answers
/// a HEAD request and so has no body.
final class UpstreamHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Backends are trusted more than clients, but not with unbounded memory.
    static let maxResponseHeadBytes = 1 << 20

    weak var delegate: (any UpstreamDelegate)?
    /// Called when the connection closes while it sits idle in the pool.
    var onIdleClose: (() -> Void)?
    private var pendingRead = false
    private var parser = HTTP1Parser(kind: .response, maxHeadBytes: UpstreamHandler.maxResponseHeadBytes)
    private var encoder = HTTP1MessageEncoder()
    private(set) var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        // Leaving the pipeline after a 101: the bytes after it are the new protocol's.
        if let rest = parser.takeUnparsedBytes() {
            context.fireChannelRead(NIOAny(rest))
        }
    }

    /// Writes a request part to the backend as bytes; nothing once the handler has left the pipeline.
    func send(_ part: HTTPClientRequestPart, promise: EventLoopPromise<Void>? = nil) {
        guard let context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        if case .head(let head) = part {
            parser.answeringHEAD = head.method == .HEAD
        }
        encoder.write(part, context: context, promise: promise)
    }

    /// Flushes what ``send(_:promise:)`` wrote.
    func flush() {
        context?.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let delegate else {
            // Bytes on an idle connection belong to no request: it cannot be used again.
            context.close(promise: nil)
            return
        }
        parser.append(unwrapInboundIn(data))
        do {
            // The delegate may let go of the connection (or of this handler) after any part.
            while self.delegate === delegate, let part = try parser.next() {
                switch consume part {
                case .responseHead(let head): delegate.upstreamResponseHead(head)
                case .body(let body): delegate.upstreamResponseBody(body)
                case .end(let trailers): delegate.upstreamResponseEnd(trailers)
                case .requestHead: preconditionFailure("a response parser yields no request")
                }
            }
        } catch {
            self.delegate = nil
            delegate.upstreamFailed(error)
            context.close(promise: nil)
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
        // A response without framing ends with the connection.
        if let delegate, case .end(let trailers)? = parser.finish() {
            delegate.upstreamResponseEnd(trailers)
        }
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
