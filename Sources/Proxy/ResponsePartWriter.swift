import NIOCore
import NIOHTTP1

/// The handler just before ``HTTPProxyHandler`` that takes its response parts directly, as
/// values, instead of through the pipeline (one `NIOAny` box and cast, and one hop, fewer per
/// part): ``HTTP1ConnectionHandler`` on HTTP/1 connections, ``HTTP2StreamHandler`` on HTTP/2
/// streams.
protocol ResponsePartWriter: AnyObject {
    /// Writes a response part as if it had come through the pipeline from the proxy handler.
    /// Returns false, writing nothing, once the writer has left the pipeline.
    func writeResponse(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>?) -> Bool
    /// Flushes from the writer's place in the pipeline; false once it has left.
    func flushResponse() -> Bool
}
