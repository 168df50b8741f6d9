import Middlewares
import NIOCore
import NIOHTTP1

/// What a ``ClientResponseSink`` writes to: the proxy handler of the client connection.
protocol ClientResponseWriter: AnyObject {
    func pipelineHead(_ head: HTTPResponseHead, exchange: AnyObject)
    func pipelineBody(_ body: ByteBuffer, exchange: AnyObject)
    func pipelineEnd(_ trailers: HTTPHeaders?, exchange: AnyObject)
    func pipelineFlush(exchange: AnyObject)
}

/// The end of a response's ``ResponsePipeline``: hands what the middlewares pass on to the client
/// connection, for as long as the exchange it was made for is the connection's current one.
/// Holds the handler weakly: a transformer may finish after the connection is gone.
final class ClientResponseSink: ResponseSink {
    private weak var writer: (any ClientResponseWriter)?
    private let exchange: AnyObject

    init(writer: any ClientResponseWriter, exchange: AnyObject) {
        self.writer = writer
        self.exchange = exchange
    }

    func writeHead(_ head: HTTPResponseHead) { writer?.pipelineHead(head, exchange: exchange) }
    func writeBody(_ body: ByteBuffer) { writer?.pipelineBody(body, exchange: exchange) }
    func writeEnd(_ trailers: HTTPHeaders?) { writer?.pipelineEnd(trailers, exchange: exchange) }
    func flush() { writer?.pipelineFlush(exchange: exchange) }
}
