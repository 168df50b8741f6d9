#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import Logging
import Middlewares
import NIOCore
import NIOHTTP1
import Routing
import TLS

/// Proxies the requests of one HTTP/1 connection, or of one HTTP/2 stream, to backends.
///
/// For each request head it reads the current snapshot once, matches the entry point's route
/// table, picks a server, takes a pooled connection (or opens one) on the same event loop, and then
/// streams the request body up and the response down. Reads on each side pause while the other
/// side cannot take more bytes, so bodies of any size stream in bounded memory.
final class HTTPProxyHandler: ChannelDuplexHandler, RemovableChannelHandler, UpstreamDelegate {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart


    enum State {
        case idle
        /// The router's middlewares are deciding (one suspended the request); body parts wait.
        case middlewares(SuspendedRequest)
        /// The `buffering` middleware reads the body whole before the request goes on.
        case buffering(SuspendedRequest)
        case exchange(Exchange)
        /// A local response was sent before the request body ended; the rest of it is dropped.
        case discarding(closeAfter: Bool)
        case upgraded
    }

    let entryPoint: EntryPointContext
    let isTLS: Bool
    let isHTTP2: Bool
    let client: ClientInfo
    let timeouts: ConnectionTimeoutHandler?
    /// The handler just before this one that takes response parts directly (see
    /// ``ResponsePartWriter``); `nil`: they go down the pipeline.
    var writer: (any ResponsePartWriter)?
    var context: ChannelHandlerContext!
    var pool: UpstreamPool!
    var state: State = .idle
    var pendingClientRead = false
    var upstreamNeedsFlush = false
    /// Between a client channelRead and its channelReadComplete.
    var inClientRead = false

    /// - Parameter writer: the handler added just before this one that takes response parts
    ///   directly, if any.
    init(
        entryPoint: EntryPointContext, isTLS: Bool, isHTTP2: Bool, client: ClientInfo, timeouts: ConnectionTimeoutHandler?,
        writer: (any ResponsePartWriter)? = nil
    ) {
        self.entryPoint = entryPoint
        self.isTLS = isTLS
        self.isHTTP2 = isHTTP2
        self.client = client
        self.timeouts = timeouts
        self.writer = writer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.pool = entryPoint.pools.pool(for: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        abandonExchange()
        // The context holds this handler: let go of it, or both outlive the connection.
        self.context = nil
        // Neither handler keeps the other once one of them has left.
        (writer as? HTTP1ConnectionHandler)?.receiver = nil
        writer = nil
    }

    // MARK: Client side

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receive(unwrapInboundIn(data))
    }

    /// One part of the client's request (what `channelRead` unwraps, or what an HTTP/2 stream
    /// handler converted from frames).
    func receive(_ part: HTTPServerRequestPart) {
        inClientRead = true
        switch part {
        case .head(let head):
            startRequest(head)
        case .body(let body):
            switch state {
            case .exchange(let ex):
                ex.hadBody = true
                ex.requestBytes &+= body.readableBytes
                let part = HTTPClientRequestPart.body(.byteBuffer(body))
                ex.attempts.record(part)
                ex.mirror?.add(part)
                if let conn = ex.connection {
                    conn.handler.send(part)
                    upstreamNeedsFlush = true
                } else {
                    ex.buffered.append(part)
                }
            case .middlewares(let suspended):
                suspended.plan.hadBody = true
                suspended.plan.requestBytes &+= body.readableBytes
                suspended.plan.buffered.append(.body(.byteBuffer(body)))
            case .buffering(let collecting):
                collecting.plan.hadBody = true
                collecting.plan.requestBytes &+= body.readableBytes
                collecting.plan.buffered.append(.body(.byteBuffer(body)))
                if collecting.plan.chain.exchange.buffering?.exceeds(Int64(collecting.plan.requestBytes)) == true {
                    state = .idle
                    answer(collecting.plan, with: .middleware(.plainError(.payloadTooLarge)))
                }
            default:
                break
            }
        case .end(let trailers):
            switch state {
            case .exchange(let ex):
                ex.requestEnded = true
                ex.attempts.record(.end(trailers))
                if let mirror = ex.mirror {
                    ex.mirror = nil
                    mirror.add(.end(trailers))
                    mirror.send(pool: pool, logger: entryPoint.logger)
                }
                if let conn = ex.connection {
                    // Flushed with whatever else this read brought, at channelReadComplete.
                    conn.handler.send(.end(trailers))
                    upstreamNeedsFlush = true
                    armHeaderTimer(ex)
                } else {
                    ex.buffered.append(.end(trailers))
                }
            case .middlewares(let suspended):
                suspended.plan.requestEnded = true
                suspended.plan.buffered.append(.end(trailers))
            case .buffering(let collecting):
                collecting.plan.requestEnded = true
                collecting.plan.buffered.append(.end(trailers))
                state = .idle
                forwardToService(collecting.plan)
            case .discarding(let closeAfter):
                state = .idle
                if closeAfter { context?.close(promise: nil) }
            default:
                break
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inClientRead = false
        if upstreamNeedsFlush, case .exchange(let ex) = state, let conn = ex.connection {
            upstreamNeedsFlush = false
            conn.handler.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if case .middlewares = state {
            // Hold the body back while a middleware decides; what one read brought is buffered.
            pendingClientRead = true
            return
        }
        if case .exchange(let ex) = state, !ex.requestEnded {
            guard let conn = ex.connection, conn.channel.isWritable else {
                pendingClientRead = true
                return
            }
        }
        context.read()
    }

    func resumeClientReading() {
        if pendingClientRead {
            pendingClientRead = false
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .exchange(let ex) = state {
            ex.connection?.handler.resumeReading()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        abandonExchange()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        entryPoint.logger.debug("client connection error", metadata: ["error": "\(error)", "client": "\(client.host)"])
        abandonExchange()
        if !channelClosesItself(after: error) {
            context.close(promise: nil)
        }
    }

    var clientIsWritable: Bool { context?.channel.isWritable ?? false }

    /// The HTTP/1 parser refused a request on this connection (answered 400 or 431 before it).
    func requestRejected(by error: any Error) {
        entryPoint.logger.debug("malformed request", metadata: ["error": "\(error)", "client": "\(client.host)"])
    }

    // MARK: Writing to the client

    /// Writes a response part to the client: straight to the HTTP/1 connection handler when
    /// there is one, else down the pipeline from this handler.
    @inline(__always)
    func writeToClient(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>? = nil) {
        if let writer, writer.writeResponse(part, promise: promise) { return }
        context.write(wrapOutboundOut(part), promise: promise)
    }

    /// Flushes the client connection (from the HTTP/1 connection handler's place when there is one).
    @inline(__always)
    func flushClientConnection() {
        if let writer, writer.flushResponse() { return }
        context.flush()
    }
}
