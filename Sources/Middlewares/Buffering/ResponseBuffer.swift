import NIOCore
import NIOHTTP1

/// `buffering.maxResponseBodyBytes` for a response whose length the head does not announce:
/// the response is held whole, and sent with its Content-Length once it has ended; past the
/// limit the client gets 500 instead and the rest of the backend's response is not waited for.
///
/// (A response whose Content-Length is over the limit is refused by the proxy at its head,
/// before this is made; one under it is passed on as it comes.)
final class ResponseBuffer: ResponseTransformer {
    private let limit: Int64
    private var held: HTTPResponseHead?
    private var chunks: [ByteBuffer] = []
    private var size: Int64 = 0
    private var refused = false

    init(limit: Int64) {
        self.limit = limit
    }

    func head(_ head: HTTPResponseHead, next: any ResponseSink) {
        held = head
    }

    func body(_ body: ByteBuffer, next: any ResponseSink) {
        guard !refused else { return }
        size += Int64(body.readableBytes)
        guard size <= limit else {
            refused = true
            chunks = []
            let answer = MiddlewareResponse.plainError(.internalServerError)
            var head = HTTPResponseHead(version: held?.version ?? .http1_1, status: answer.status, headers: answer.headers)
            head.headers.replaceOrAdd(name: "Content-Length", value: String(answer.body.utf8.count))
            next.writeHead(head)
            next.writeBody(ByteBuffer(string: answer.body))
            next.writeEnd(nil)
            return
        }
        chunks.append(body)
    }

    /// Nothing leaves before the end.
    func flush(next: any ResponseSink) {}

    func end(_ trailers: HTTPHeaders?, next: any ResponseSink) {
        guard !refused, var head = held else { return }
        head.headers.remove(name: "Transfer-Encoding")
        head.headers.replaceOrAdd(name: "Content-Length", value: String(size))
        next.writeHead(head)
        for chunk in chunks { next.writeBody(chunk) }
        chunks = []
        next.writeEnd(trailers)
    }
}
