import NIOCore
import NIOHTTP1

/// The discipline of one HTTP/1 client connection, between the request decoder and the proxy
/// handler: one request at a time, a pipelined request held back until the response before it
/// has ended, parser errors answered (431 for an oversized head, 400 otherwise, including the
/// request-smuggling cases) and graceful-shutdown quiescing. It also writes the responses as
/// HTTP/1.1 bytes (``HTTP1MessageEncoder``), in place of NIO's `HTTPResponseEncoder`: the parts
/// reach the socket's side of the pipeline as buffers, with no further handler to pass.
///
/// It takes the place of NIO's `HTTPServerPipelineHandler`, with one difference that matters
/// for speed: reads keep flowing while a response is pending, and only a pipelined request (or
/// a parser error waiting for its turn) stops them. NIO's handler holds every read until the
/// response ends, so the socket leaves epoll's read set and comes back once per request (two
/// `epoll_ctl` calls per keep-alive request). Reading on also means a client that goes away
/// while its request waits for the backend is noticed at once, as Go's server notices it.
final class HTTP1ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler, ResponsePartWriter {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    /// What waits for the response in progress to end.
    private enum Held {
        case part(NIOAny)
        case error(any Error)
    }

    /// A delivered request's head came and its end has not.
    private var requestOpen = false
    /// A delivered request's response has not ended yet.
    private var responseOpen = false
    /// A response head (final, not 1xx) was written and its end has not been.
    private var responseInProgress = false
    /// Almost always empty: sized for one held part, not NIO's default 16, to keep idle
    /// connections small.
    private var held = CircularBuffer<Held>(initialCapacity: 1)
    private var encoder = HTTP1MessageEncoder()
    private var readPending = false
    private var quiescing = false
    private var failed = false
    private var releasing = false
    private let onParserError: ((any Error) -> Void)?
    private var context: ChannelHandlerContext?
    /// The proxy handler just after this one: request parts are handed to it directly, as
    /// values, instead of through the pipeline (`nil`: through the pipeline).
    var receiver: HTTPProxyHandler?

    /// - Parameter onParserError: told about each request the parser rejects (for logs); when
    ///   `nil`, the ``receiver`` is told instead (no closure kept per connection).
    init(onParserError: ((any Error) -> Void)? = nil) {
        self.onParserError = onParserError
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        if !held.isEmpty || !deliver(context: context, data) {
            // Pipelined: it waits for the response before it. After quiescing, it waits for
            // nothing: the connection closes once the current exchange is over.
            if !quiescing { held.append(.part(data)) }
        }
    }

    /// Passes one request part on; returns false, passing nothing, for a head whose turn has
    /// not come.
    private func deliver(context: ChannelHandlerContext, _ data: NIOAny) -> Bool {
        let part = unwrapInboundIn(data)
        switch part {
        case .head:
            if responseOpen || quiescing { return false }
            requestOpen = true
            responseOpen = true
        case .body:
            break
        case .end:
            requestOpen = false
        }
        if let receiver {
            receiver.receive(part)
        } else {
            context.fireChannelRead(data)
        }
        if quiescing && !requestOpen && !responseOpen {
            context.close(promise: nil)
        }
        return true
    }

    func read(context: ChannelHandlerContext) {
        if held.isEmpty {
            context.read()
        } else {
            readPending = true
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !failed else { return }
        if responseOpen || !held.isEmpty {
            // The request in progress gets its response first; the bad one is answered after.
            held.append(.error(error))
            return
        }
        answer(parserError: error, context: context)
    }

    private func answer(parserError error: any Error, context: ChannelHandlerContext) {
        failed = true
        held.removeAll()
        if let onParserError {
            onParserError(error)
        } else {
            receiver?.requestRejected(by: error)
        }
        guard !responseInProgress else {
            context.close(promise: nil)
            return
        }
        let response: LocalResponse = (error as? HTTPParserError) == .headerOverflow ? .headersTooLarge : .badRequest
        let (head, body) = response.make(version: .http1_1, close: true, allocator: context.channel.allocator)
        encoder.write(HTTPServerResponsePart.head(head), context: context, promise: nil)
        encoder.write(HTTPServerResponsePart.body(.byteBuffer(body)), context: context, promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        encoder.write(HTTPServerResponsePart.end(nil), context: context, promise: written)
        context.flush()
        written.futureResult.assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        held.removeAll()
        if !requestOpen && !responseOpen {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        held.removeAll()
        context.fireChannelInactive()
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        send(unwrapOutboundIn(data), context: context, promise: promise)
    }

    /// Writes a response part as if it had come through the pipeline from the handler after
    /// this one (the proxy handler), sparing it a pass through the pipeline and a cast back
    /// from `NIOAny`. Returns false, writing nothing, once this handler has left the pipeline.
    @inline(__always)
    func writeResponse(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>?) -> Bool {
        guard let context else { return false }
        send(part, context: context, promise: promise)
        return true
    }

    /// Flushes the connection from this handler's place in the pipeline; false once it has left.
    @inline(__always)
    func flushResponse() -> Bool {
        guard let context else { return false }
        context.flush()
        return true
    }

    private func send(_ part: HTTPServerResponsePart, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        switch part {
        case .head(let head):
            if head.status.code >= 200 { responseInProgress = true }
            encoder.write(part, context: context, promise: promise)
        case .body:
            encoder.write(part, context: context, promise: promise)
        case .end:
            responseInProgress = false
            responseOpen = false
            if quiescing && !requestOpen {
                // The last exchange is over: close once the end is on the wire.
                let written = promise ?? context.eventLoop.makePromise()
                encoder.write(part, context: context, promise: written)
                written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                return
            }
            encoder.write(part, context: context, promise: promise)
            releaseHeld(context: context)
        }
    }


    /// The response ended: the requests held behind it get their turn, then reading resumes.
    private func releaseHeld(context: ChannelHandlerContext) {
        // A held request can be answered at once, inside its delivery: the loop below goes on.
        guard !held.isEmpty, !releasing else { return }
        releasing = true
        defer { releasing = false }
        var delivered = false
        loop: while !failed, let next = held.popFirst() {
            switch next {
            case .part(let data):
                guard deliver(context: context, data) else {
                    held.prepend(next)
                    break loop
                }
                delivered = true
            case .error(let error):
                answer(parserError: error, context: context)
            }
        }
        if delivered { context.fireChannelReadComplete() }
        if held.isEmpty && readPending {
            readPending = false
            context.read()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        receiver = nil
        // Leaving the pipeline (an upgrade): whatever was held goes on as it came.
        let rest = held
        held.removeAll()
        for case .part(let data) in rest {
            context.fireChannelRead(data)
        }
        if readPending {
            readPending = false
            context.read()
        }
    }
}
