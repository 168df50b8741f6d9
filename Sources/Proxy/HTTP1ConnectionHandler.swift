import NIOCore
import NIOHTTP1

/// One HTTP/1 client connection: it parses the requests (``HTTP1Parser``), keeps the
/// discipline of one request at a time, answers malformed requests (431 for an oversized head,
/// 400 otherwise, including the request-smuggling cases), quiesces for a graceful shutdown, and
/// writes the responses as HTTP/1.1 bytes (``HTTP1MessageEncoder``). It takes the place of
/// NIO's request decoder, `HTTPServerPipelineHandler` and response encoder: three handlers, a
/// `NIOAny` box per part between each two, and llhttp's callbacks.
///
/// Reads keep flowing while a response is pending, and only a pipelined request (or a request
/// to switch protocols waiting for its answer) stops them: its bytes stay unparsed until its
/// turn. NIO's pipeline handler holds every read until the response ends, so the socket leaves
/// epoll's read set and comes back once per request (two `epoll_ctl` calls per keep-alive
/// request). Reading on also means a client that goes away while its request waits for the
/// backend is noticed at once, as Go's server notices it.
final class HTTP1ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler, ResponsePartWriter {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    private var parser: HTTP1Parser
    /// A malformed body found while its request's response is open: answered once it ends.
    private var deferredError: HTTP1ParseError?
    /// A delivered request's head came and its end has not.
    private var requestOpen = false
    /// A delivered request's response has not ended yet.
    private var responseOpen = false
    /// A response head (final, not 1xx) was written and its end has not been.
    private var responseInProgress = false
    private var encoder = HTTP1MessageEncoder()
    private var readPending = false
    private var quiescing = false
    private var failed = false
    private var parsing = false
    private let onParserError: ((any Error) -> Void)?
    private var context: ChannelHandlerContext?
    /// The proxy handler just after this one: request parts are handed to it directly, as
    /// values, instead of through the pipeline (`nil`: through the pipeline).
    var receiver: HTTPProxyHandler?

    /// - Parameters:
    ///   - maxHeaderBytes: the most bytes a request line and its header fields may take (431 beyond).
    ///   - onParserError: told about each request the parser rejects (for logs); when `nil`,
    ///     the ``receiver`` is told instead (no closure kept per connection).
    init(maxHeaderBytes: Int = EntryPointContext.defaultMaxHeaderBytes, onParserError: ((any Error) -> Void)? = nil) {
        self.parser = HTTP1Parser(kind: .request, maxHeadBytes: maxHeaderBytes)
        self.onParserError = onParserError
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        parser.append(unwrapInboundIn(data))
        parse(context: context)
    }

    /// Delivers the request parts whose turn has come; returns whether it delivered any. A part
    /// delivered may end its response at once (a local answer), calling back in here: the outer
    /// call goes on with the loop.
    @discardableResult
    private func parse(context: ChannelHandlerContext) -> Bool {
        guard !parsing else { return false }
        parsing = true
        defer { parsing = false }
        var delivered = false
        // After a malformed body, nothing more is parsed: its answer waits for the response.
        loop: while !failed && deferredError == nil {
            // A pipelined request waits for the response before it; after quiescing, no new
            // request starts (the connection closes once the current exchange is over).
            if parser.isAtMessageStart && (responseOpen || quiescing) { break }
            let next: HTTP1Parser.Part?
            do {
                next = try parser.next()
            } catch {
                if responseOpen {
                    // The request in progress gets its response first; the error is answered after.
                    deferredError = error
                } else {
                    answer(parserError: error, context: context)
                }
                break
            }
            let part: HTTPServerRequestPart
            switch next {
            case .requestHead(let head)?: part = .head(head)
            case .body(let body)?: part = .body(body)
            case .end(let trailers)?: part = .end(trailers)
            case .responseHead?, nil: break loop
            }
            deliver(part, context: context)
            delivered = true
        }
        if readPending && !isStalled {
            readPending = false
            context.read()
        }
        return delivered
    }

    /// Whether bytes received wait for their turn: no more are read meanwhile.
    private var isStalled: Bool {
        deferredError != nil || (parser.hasUnparsedBytes && (parser.isPaused || (parser.isAtMessageStart && responseOpen)))
    }

    private func deliver(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head:
            requestOpen = true
            responseOpen = true
        case .body:
            break
        case .end:
            requestOpen = false
            // A request to switch protocols whose refusal came before its end: HTTP goes on.
            if !responseOpen { parser.resume() }
        }
        if let receiver {
            receiver.receive(part)
        } else {
            context.fireChannelRead(wrapInboundOut(part))
        }
        if quiescing && !requestOpen && !responseOpen {
            context.close(promise: nil)
        }
    }

    func read(context: ChannelHandlerContext) {
        if isStalled {
            readPending = true
        } else {
            context.read()
        }
    }

    private func answer(parserError error: HTTP1ParseError, context: ChannelHandlerContext) {
        failed = true
        _ = parser.takeUnparsedBytes()
        if let onParserError {
            onParserError(error)
        } else {
            receiver?.requestRejected(by: error)
        }
        guard !responseInProgress else {
            context.close(promise: nil)
            return
        }
        let response: LocalResponse = error.isHeadTooLarge ? .headersTooLarge : .badRequest
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
        if !requestOpen && !responseOpen {
            context.close(promise: nil)
        }
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
            responseEnded(context: context)
        }
    }


    /// The response ended: the request behind it gets its turn (or the error found in the
    /// request's body its answer), then reading resumes.
    private func responseEnded(context: ChannelHandlerContext) {
        // A request to switch protocols was refused: HTTP goes on.
        if !requestOpen { parser.resume() }
        if let error = deferredError {
            deferredError = nil
            answer(parserError: error, context: context)
            return
        }
        if parse(context: context) { context.fireChannelReadComplete() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        receiver = nil
        // Leaving the pipeline (an upgrade): the bytes after the request are the new protocol's.
        if let rest = parser.takeUnparsedBytes() {
            context.fireChannelRead(NIOAny(rest))
        }
        if readPending {
            readPending = false
            context.read()
        }
    }
}
