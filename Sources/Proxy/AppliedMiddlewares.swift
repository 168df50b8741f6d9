import Middlewares
import NIOHTTP1

/// The middlewares a forwarded request went through, kept with its exchange so that they see the
/// response head on the way back.
struct AppliedMiddlewares {
    let chain: MiddlewareChain
    /// The request as the last middleware left it.
    let request: MiddlewareRequest

    /// Whether responses must go through a ``ResponsePipeline`` (some middleware transforms
    /// bodies) rather than ``editResponse(_:)``.
    var transformsBodies: Bool { chain.anyTransformsBodies }

    /// Runs the response side of every middleware, last first.
    func editResponse(_ head: inout HTTPResponseHead) {
        chain.runResponse(&head, request: request, passed: chain.middlewares.count)
    }

    /// The response side of every middleware, bodies included, ending at `client`.
    func makePipeline(client: any ResponseSink) -> ResponsePipeline {
        ResponsePipeline(chain: chain, request: request, passed: chain.middlewares.count, client: client)
    }

    /// Tells every middleware the request is over.
    func finish() {
        chain.finish(request, passed: chain.middlewares.count)
    }
}
