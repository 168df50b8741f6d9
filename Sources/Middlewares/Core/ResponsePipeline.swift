import NIOCore
import NIOHTTP1

/// The response side of a router's middlewares for one response whose chain has middlewares
/// that transform bodies.
///
/// The head goes through the middlewares that let the request through, last first, as
/// ``MiddlewareChain/runResponse(_:request:passed:)`` does; a middleware that returns a
/// ``ResponseTransformer`` for it gets the head, and what that transformer passes on continues
/// to the middlewares before it, whenever it does. Body chunks, flushes and the end take the same
/// way through the transformers, then reach the client sink.
///
/// Made per response only for chains with ``MiddlewareChain/anyTransformsBodies``; used on the
/// connection's event loop.
public final class ResponsePipeline: ResponseSink {
    private let chain: MiddlewareChain
    private let request: MiddlewareRequest
    private let client: any ResponseSink
    /// The first `index` middlewares have not seen the head yet.
    private let index: Int
    /// The transformer at this point of the chain and the stage after it, once the head reached it.
    private var transformer: (any ResponseTransformer)?
    private var below: ResponsePipeline?

    /// A pipeline through the first `passed` middlewares of `chain`, ending at `client`.
    public convenience init(chain: MiddlewareChain, request: MiddlewareRequest, passed: Int, client: any ResponseSink) {
        self.init(chain: chain, request: request, index: min(passed, chain.middlewares.count), client: client)
    }

    private init(chain: MiddlewareChain, request: MiddlewareRequest, index: Int, client: any ResponseSink) {
        self.chain = chain
        self.request = request
        self.index = index
        self.client = client
    }

    public func writeHead(_ head: HTTPResponseHead) {
        var head = head
        var i = index
        while i > 0 {
            i -= 1
            let middleware = chain.middlewares[i]
            if middleware.editsResponses {
                middleware.handleResponse(&head, request: request)
            }
            if middleware.transformsBodies, let transformer = middleware.responseTransformer(for: head, request: request) {
                let next = ResponsePipeline(chain: chain, request: request, index: i, client: client)
                self.transformer = transformer
                self.below = next
                transformer.head(head, next: next)
                return
            }
        }
        client.writeHead(head)
    }

    public func writeBody(_ body: ByteBuffer) {
        if let transformer, let below {
            transformer.body(body, next: below)
        } else {
            client.writeBody(body)
        }
    }

    public func writeEnd(_ trailers: HTTPHeaders?) {
        if let transformer, let below {
            transformer.end(trailers, next: below)
        } else {
            client.writeEnd(trailers)
        }
    }

    public func flush() {
        if let transformer, let below {
            transformer.flush(next: below)
        } else {
            client.flush()
        }
    }
}
