import NIOCore
import NIOHTTP1

/// One of a router's middlewares, built once per configuration snapshot and shared by every
/// request the router matches, on every event loop.
///
/// A middleware sees the request before it is forwarded (``handleRequest(_:)``): it may change
/// what is forwarded, answer itself, or suspend the request while it waits for something (an
/// authentication server, a slow password hash, a rate limiter's delay). Every middleware that
/// let the request through then sees the head of whatever response goes back to the client —
/// the backend's, a later middleware's own answer, or the proxy's 502 — in reverse order
/// (``handleResponse(_:request:)``), as Go handlers wrapping a `ResponseWriter` do in Traefik,
/// and, when the exchange is over however it ended, ``requestFinished(_:)``.
///
/// A middleware that changes bodies (compress, contentType, errors) returns a per-response
/// ``ResponseTransformer`` from ``responseTransformer(for:request:)``; body chunks and the end
/// then pass through the transformers of the middlewares the request passed, last first, like
/// heads (see ``ResponsePipeline``). Routers with no such middleware pay nothing for it.
public protocol HTTPMiddleware: Sendable {
    /// Runs before the request is forwarded. Called on the connection's event loop; must not block.
    func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome

    /// Adjusts the head of the response going back to the client. The default does nothing.
    func handleResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest)

    /// Whether ``handleResponse(_:request:)`` does anything; lets the proxy skip the response pass.
    var editsResponses: Bool { get }

    /// Called once when a request this middleware let through is over (answered, failed or
    /// abandoned). The default does nothing.
    func requestFinished(_ request: MiddlewareRequest)

    /// Whether ``requestFinished(_:)`` does anything.
    var tracksCompletion: Bool { get }

    /// A per-response processor of the body (and of the head, which it may hold back, change or
    /// replace), asked for right after ``handleResponse(_:request:)`` saw `head`; `nil` lets the
    /// body through untouched. Called on the connection's event loop. The default returns `nil`.
    func responseTransformer(for head: HTTPResponseHead, request: MiddlewareRequest) -> (any ResponseTransformer)?

    /// Whether ``responseTransformer(for:request:)`` can return one. Routers none of whose
    /// middlewares transform bodies stream responses with no per-response cost.
    var transformsBodies: Bool { get }
}

extension HTTPMiddleware {
    public func handleResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest) {}
    public var editsResponses: Bool { false }
    public func requestFinished(_ request: MiddlewareRequest) {}
    public var tracksCompletion: Bool { false }
    public func responseTransformer(for head: HTTPResponseHead, request: MiddlewareRequest) -> (any ResponseTransformer)? { nil }
    public var transformsBodies: Bool { false }
}

/// What a middleware decided about a request.
public enum MiddlewareOutcome: Sendable {
    /// Hand the (possibly changed) request to the next middleware, then the service.
    case proceed
    /// Answer the client with this response; the service is not called.
    case respond(MiddlewareResponse)
    /// Decide later: the request waits, without blocking the event loop, until the future
    /// completes (on any event loop). A failed future answers 500.
    case suspend(EventLoopFuture<MiddlewareResumption>)
}

/// The decision of a middleware that suspended a request.
public struct MiddlewareResumption: Sendable {
    /// `nil` lets the request through; otherwise the answer.
    public var response: MiddlewareResponse?
    /// Changes to make to the request before it goes on (for example headers copied from an
    /// authentication server's answer).
    public var edit: (@Sendable (inout MiddlewareRequest) -> Void)?

    /// Let the request through, after `edit` if given.
    public static func proceed(_ edit: (@Sendable (inout MiddlewareRequest) -> Void)? = nil) -> MiddlewareResumption {
        MiddlewareResumption(response: nil, edit: edit)
    }

    /// Answer with `response`.
    public static func respond(_ response: MiddlewareResponse) -> MiddlewareResumption {
        MiddlewareResumption(response: response, edit: nil)
    }
}
