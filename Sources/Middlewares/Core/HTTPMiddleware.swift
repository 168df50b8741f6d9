import NIOHTTP1

/// One of a router's middlewares, built once per configuration snapshot and shared by every
/// request the router matches, on every event loop.
///
/// A middleware sees the request before it is forwarded (``handleRequest(_:)``): it may change
/// what is forwarded, or answer itself. Every middleware that let the request through then sees
/// the head of whatever response goes back to the client — the backend's, a later middleware's
/// own answer, or the proxy's 502 — in reverse order (``handleResponse(_:request:)``), as Go
/// handlers wrapping a `ResponseWriter` do in Traefik.
public protocol HTTPMiddleware: Sendable {
    /// Runs before the request is forwarded. Called on the connection's event loop; must not block.
    func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome

    /// Adjusts the head of the response going back to the client. The default does nothing.
    func handleResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest)

    /// Whether ``handleResponse(_:request:)`` does anything; lets the proxy skip the response pass.
    var editsResponses: Bool { get }
}

extension HTTPMiddleware {
    public func handleResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest) {}
    public var editsResponses: Bool { false }
}

/// What a middleware decided about a request.
public enum MiddlewareOutcome: Sendable {
    /// Hand the (possibly changed) request to the next middleware, then the service.
    case proceed
    /// Answer the client with this response; the service is not called.
    case respond(MiddlewareResponse)
}
