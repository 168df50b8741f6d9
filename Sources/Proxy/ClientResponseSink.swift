import Middlewares
import NIOCore
import NIOHTTP1

/// What a ``ClientResponseSink`` writes to: the proxy handler of the client connection.
protocol ClientResponseWriter: AnyObject {
    func pipelineHead(_ head: HTTPResponseHead, exchange: AnyObject)
    func pipelineBody(_ body: ByteBuffer, exchange: AnyObject)
    func pipelineEnd(_ trailers: HTTPHeaders?, exchange: AnyObject)
    func pipelineFlush(exchange: AnyObject)
    /// Parts of a response the proxy answered itself (a middleware's answer, 502 …).
    func localHead(_ head: HTTPResponseHead, version: HTTPVersion, close: Bool)
    func localBody(_ body: ByteBuffer)
    func localEnd(close: Bool)
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

/// The end of the pipeline of a response the proxy answers itself (a middleware's answer, a 502
/// or 503), when the request passed middlewares that transform bodies; closes the connection
/// after the end when the answer says so.
final class LocalAnswerSink: ResponseSink {
    private weak var writer: (any ClientResponseWriter)?
    private let version: HTTPVersion
    private let close: Bool

    init(writer: any ClientResponseWriter, version: HTTPVersion, close: Bool) {
        self.writer = writer
        self.version = version
        self.close = close
    }

    func writeHead(_ head: HTTPResponseHead) { writer?.localHead(head, version: version, close: close) }
    func writeBody(_ body: ByteBuffer) { writer?.localBody(body) }
    func writeEnd(_ trailers: HTTPHeaders?) { writer?.localEnd(close: close) }
    func flush() {}
}
