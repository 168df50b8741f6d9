import NIOCore
import NIOHTTP1

/// Where the parts of a response go on their way to the client: the next middleware's
/// ``ResponseTransformer``, or the client connection itself.
///
/// Used on the connection's event loop only. Parts come in order: one head, body chunks, one end.
public protocol ResponseSink: AnyObject {
    /// The response head.
    func writeHead(_ head: HTTPResponseHead)
    /// A chunk of the body.
    func writeBody(_ body: ByteBuffer)
    /// The end of the response, with trailers if any.
    func writeEnd(_ trailers: HTTPHeaders?)
    /// What was written so far should reach the client now (the backend paused, or a
    /// streaming response's flush interval passed).
    func flush()
}

/// One middleware's processing of one response, made by
/// ``HTTPMiddleware/responseTransformer(for:request:)``.
///
/// It receives the response's parts, as its middleware's response side saw them, and passes on
/// to `next` what the client should get instead: it may hold the head back until it has seen
/// some of the body (size, content sniffing), change the body chunk by chunk (compression), or
/// replace the whole response, even later, after asynchronous work (error pages). It must pass
/// on exactly one head before any body, and exactly one end, last. Used on the connection's
/// event loop only.
public protocol ResponseTransformer: AnyObject {
    /// The head, after its middleware's ``HTTPMiddleware/handleResponse(_:request:)``.
    func head(_ head: HTTPResponseHead, next: any ResponseSink)
    /// A chunk of the body.
    func body(_ body: ByteBuffer, next: any ResponseSink)
    /// The end of the response.
    func end(_ trailers: HTTPHeaders?, next: any ResponseSink)
    /// A flush from upstream; the default passes it on.
    func flush(next: any ResponseSink)
}

extension ResponseTransformer {
    public func flush(next: any ResponseSink) { next.flush() }
}
