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

// MARK: Response pipeline

extension HTTPProxyHandler: ClientResponseWriter {
    /// The exchange a pipeline was made for, if it is still the connection's current one.
    func current(_ exchange: AnyObject) -> Exchange? {
        guard case .exchange(let ex) = state, ex === exchange else { return nil }
        return ex
    }

    func pipelineHead(_ head: HTTPResponseHead, exchange: AnyObject) {
        guard let ex = current(exchange) else { return }
        var response = head
        response.version = isHTTP2 ? .http2 : ex.clientVersion
        if Int(head.status.code) != ex.status { ex.clientStatus = Int(head.status.code) }
        if isHTTP2 {
            HeaderRewriting.removeFraming(&response.headers)
        } else if !ex.clientKeepAlive && !response.headers.contains(name: "connection") {
            // A middleware that replaced the head dropped what the backend's head had.
            response.headers.add(name: "Connection", value: "close")
        }
        writeToClient(.head(response))
    }

    func pipelineBody(_ body: ByteBuffer, exchange: AnyObject) {
        guard let ex = current(exchange) else { return }
        ex.responseBytes &+= body.readableBytes
        ex.unflushedBytes &+= body.readableBytes
        writeToClient(.body(.byteBuffer(body)))
    }

    func pipelineEnd(_ trailers: HTTPHeaders?, exchange: AnyObject) {
        guard let ex = current(exchange) else { return }
        // A middleware answered before the backend finished (buffering past its limit): the rest
        // of the backend's response is not wanted, nor is its connection.
        if ex.connection != nil {
            ex.upstreamKeepAlive = false
            dropBackend(ex)
        }
        finishResponse(ex, trailers: trailers)
    }

    func pipelineFlush(exchange: AnyObject) {
        guard current(exchange) != nil else { return }
        flushClientConnection()
    }

    func localHead(_ head: HTTPResponseHead, version: HTTPVersion, close: Bool) {
        guard context != nil else { return }
        var response = head
        response.version = version
        if isHTTP2 {
            HeaderRewriting.removeFraming(&response.headers)
        } else if close && !response.headers.contains(name: "connection") {
            response.headers.add(name: "Connection", value: "close")
        }
        writeToClient(.head(response))
    }

    func localBody(_ body: ByteBuffer) {
        guard context != nil else { return }
        writeToClient(.body(.byteBuffer(body)))
    }

    func localEnd(close: Bool) {
        guard let context else { return }
        let done: EventLoopPromise<Void>? = close ? context.eventLoop.makePromise() : nil
        writeToClient(.end(nil), promise: done)
        flushClientConnection()
        done?.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
