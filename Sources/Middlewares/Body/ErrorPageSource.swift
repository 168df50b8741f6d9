import NIOCore
import NIOHTTP1

/// Where the errors middleware gets its pages: a configured service, reached by the runtime
/// (which knows the services; this target does not).
public protocol ErrorPageSource: Sendable {
    /// GETs `uri` (path and query) from a server of the service, with the headers of `request`
    /// (the client's request as the middlewares left it). The future may complete on any event
    /// loop; it fails when no server answers.
    func fetchErrorPage(uri: String, for request: MiddlewareRequest) -> EventLoopFuture<ErrorPage>
}

/// The answer of an error-page service.
public struct ErrorPage: Sendable {
    /// The page service's status (the client gets the original or rewritten status instead).
    public var status: HTTPResponseStatus
    /// The page service's headers.
    public var headers: HTTPHeaders
    /// The whole page.
    public var body: ByteBuffer

    /// A page with `status`, `headers` and `body`.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
