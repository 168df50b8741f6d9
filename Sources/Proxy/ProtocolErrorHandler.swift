import NIOCore
import NIOHTTP1

/// Answers requests the HTTP/1 parser rejects: 431 when the head is too large, 400 otherwise
/// (including the request-smuggling cases: Content-Length with Transfer-Encoding, conflicting
/// Content-Length values), then closes the connection. Nothing reaches a backend.
final class ProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false
    private var errorSeen = false
    private let onError: (any Error) -> Void

    /// - Parameter onError: told about each parser error (for logs).
    init(onError: @escaping (any Error) -> Void) {
        self.onError = onError
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !errorSeen else { return }
        errorSeen = true
        onError(parserError)
        if !responseInProgress {
            let response: LocalResponse = parserError == .headerOverflow ? .headersTooLarge : .badRequest
            let (head, body) = response.make(version: .http1_1, close: true, allocator: context.channel.allocator)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !errorSeen else { return }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responseInProgress = true
        case .end: responseInProgress = false
        default: break
        }
        context.write(data, promise: promise)
    }
}
