import Config
import NIOCore
import NIOHTTP1

/// `contentType`: when the backend sends no Content-Type, set one sniffed from the first bytes
/// of the body, as Go's server does (Traefik v3's meaning; `autoDetect: false`, deprecated in
/// Traefik, turns it off).
public struct ContentTypeDetection: HTTPMiddleware {
    let enabled: Bool

    /// Builds the middleware from its configuration.
    public init(_ config: Middleware.ContentType) {
        enabled = config.autoDetect ?? true
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome { .proceed }

    public var transformsBodies: Bool { enabled }

    public func responseTransformer(for head: HTTPResponseHead, request: MiddlewareRequest) -> (any ResponseTransformer)? {
        guard enabled, !head.headers.contains(name: "content-type") else { return nil }
        let code = head.status.code
        if code < 200 || code == 204 || code == 304 || request.head.method == .HEAD { return nil }
        return SniffingTransformer()
    }
}

/// Holds the head back until the first body bytes arrive, then sets Content-Type from them.
/// A body that ends empty gets none.
final class SniffingTransformer: ResponseTransformer {
    private var heldHead: HTTPResponseHead?

    func head(_ head: HTTPResponseHead, next: any ResponseSink) {
        heldHead = head
    }

    func body(_ body: ByteBuffer, next: any ResponseSink) {
        if var head = heldHead, body.readableBytes > 0 {
            heldHead = nil
            let detected = body.withUnsafeReadableBytes { ContentSniffer.detect($0.prefix(ContentSniffer.sniffLength)) }
            head.headers.add(name: "Content-Type", value: detected)
            next.writeHead(head)
        }
        if heldHead == nil { next.writeBody(body) }
    }

    func flush(next: any ResponseSink) {
        if heldHead == nil { next.flush() }
    }

    func end(_ trailers: HTTPHeaders?, next: any ResponseSink) {
        if let head = heldHead {
            heldHead = nil
            next.writeHead(head)
        }
        next.writeEnd(trailers)
    }
}
