import Config
import Middlewares
import NIOCore
import NIOHTTP1
import Testing

/// The response pipeline: heads and bodies go through the passed middlewares last first, and
/// middlewares before a transformer see what it passes on.
@Suite struct ResponsePipelineTests {
    /// Upper-cases the body and marks the head with its name.
    struct Shout: HTTPMiddleware {
        let name: String
        func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome { .proceed }
        var transformsBodies: Bool { true }
        func responseTransformer(for head: HTTPResponseHead, request: MiddlewareRequest) -> (any ResponseTransformer)? {
            Transformer(name: name)
        }

        final class Transformer: ResponseTransformer {
            let name: String
            init(name: String) { self.name = name }
            func head(_ head: HTTPResponseHead, next: any ResponseSink) {
                var head = head
                head.headers.add(name: "X-Order", value: name)
                next.writeHead(head)
            }
            func body(_ body: ByteBuffer, next: any ResponseSink) {
                next.writeBody(ByteBuffer(string: String(buffer: body) + name))
            }
            func end(_ trailers: HTTPHeaders?, next: any ResponseSink) { next.writeEnd(trailers) }
        }
    }

    /// Edits heads only.
    struct Mark: HTTPMiddleware {
        let name: String
        func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome { .proceed }
        var editsResponses: Bool { true }
        func handleResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest) {
            response.headers.add(name: "X-Order", value: name)
        }
    }

    @Test("transformers and head edits run last first; the plain chain needs no pipeline")
    func order() {
        let chain = MiddlewareChain([Mark(name: "a"), Shout(name: "b"), Mark(name: "c"), Shout(name: "d")], names: ["a", "b", "c", "d"])
        #expect(chain.anyTransformsBodies)
        let sink = send(responseHead(200), body: [Array("x".utf8)], through: chain, request: request("/"))
        #expect(sink.head?.headers[canonicalForm: "x-order"] == ["d", "c", "b", "a"])
        #expect(String(decoding: sink.body, as: UTF8.self) == "xdb")
        #expect(sink.ended)
        #expect(!MiddlewareChain([Mark(name: "a")], names: ["a"]).anyTransformsBodies)
    }

    @Test("only the middlewares the request passed see the response")
    func passed() {
        let chain = MiddlewareChain([Shout(name: "a"), Shout(name: "b")], names: ["a", "b"])
        let sink = RecordingSink()
        let pipeline = ResponsePipeline(chain: chain, request: request("/"), passed: 1, client: sink)
        pipeline.writeHead(responseHead(403))
        pipeline.writeBody(ByteBuffer(string: "no"))
        pipeline.writeEnd(nil)
        #expect(sink.head?.headers[canonicalForm: "x-order"] == ["a"])
        #expect(String(decoding: sink.body, as: UTF8.self) == "noa")
    }
}
