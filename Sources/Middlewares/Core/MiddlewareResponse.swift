import NIOHTTP1

/// A response a middleware writes itself (a redirect, 401, 403, 429 …).
public struct MiddlewareResponse: Sendable {
    /// The status.
    public var status: HTTPResponseStatus
    /// Headers besides Content-Length, which the proxy sets from ``body``.
    public var headers: HTTPHeaders
    /// The whole body.
    public var body: String

    /// A response with `status`, `headers` and `body`.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Go's `http.Error`: the status text and a newline as plain text, with `nosniff`, as
    /// Traefik's middlewares answer.
    public static func plainError(_ status: HTTPResponseStatus) -> MiddlewareResponse {
        MiddlewareResponse(
            status: status,
            headers: ["Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"],
            body: status.reasonPhrase + "\n"
        )
    }
}
