import NIOCore
import NIOHTTP1

/// HTTP/1.1 message framing and serialisation, for both sides of the proxy: responses to
/// clients (in ``HTTP1ConnectionHandler``) and requests to backends (in ``UpstreamHandler``).
///
/// It frames messages exactly as NIO's `HTTPResponseEncoder` and `HTTPRequestEncoder` do
/// (Content-Length kept, else chunked on HTTP/1.1; no framing headers where no body may
/// follow), and writes a head in one pass: the size of the start line and of every header is
/// added up first, the buffer is sized once, and each string's UTF-8 bytes are copied straight
/// in. NIO's encoders grow the buffer one string at a time, each write checking uniqueness and
/// capacity, which a profile of the 1 KiB keep-alive loads put at 4 % of the proxy's CPU.
struct HTTP1MessageEncoder {
    /// Whether the body of the message in progress goes out in chunks.
    private(set) var isChunked = false

    /// Whether a message may carry a body, as NIO's encoders decide it.
    enum BodyExpectation {
        /// Never (a 1xx, 204 or 304 response; a TRACE request).
        case no
        /// Always possible (most responses; POST, PUT and PATCH).
        case yes
        /// Possible but unusual (GET, HEAD, DELETE, OPTIONS, CONNECT and other requests).
        case unlikely
    }

    /// The framing a message's headers get, and whether its body is chunked. A header is
    /// removed only when present: `HTTPHeaders.remove` copies the headers (shared with the head
    /// they came from) even when it finds nothing.
    static func frame(_ headers: inout HTTPHeaders, body: BodyExpectation, version: HTTPVersion) -> Bool {
        let modern = version.major == 1 && version.minor >= 1
        switch body {
        case .no:
            removeIfPresent("content-length", from: &headers)
            removeIfPresent("transfer-encoding", from: &headers)
            return false
        case .yes:
            if headers.contains(name: "content-length") {
                removeIfPresent("transfer-encoding", from: &headers)
                return false
            }
            guard modern else { return false }
            headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
            return true
        case .unlikely:
            if headers.contains(name: "content-length") {
                removeIfPresent("transfer-encoding", from: &headers)
                return false
            }
            return modern && headers.first(name: "transfer-encoding") == "chunked"
        }
    }

    private static func removeIfPresent(_ name: String, from headers: inout HTTPHeaders) {
        if headers.contains(name: name) { headers.remove(name: name) }
    }

    /// The head of a response, framed for its status.
    mutating func head(_ response: HTTPResponseHead, allocator: ByteBufferAllocator) -> ByteBuffer {
        var response = response
        isChunked = Self.frame(&response.headers, body: response.status.mayHaveResponseBody ? .yes : .no, version: response.version)
        let status = response.status
        return Self.serialize(response.headers, allocator: allocator,
                              startLine: ("HTTP/\(response.version.major).\(response.version.minor)", String(status.code), status.reasonPhrase))
    }

    /// The head of a request, framed for its method.
    mutating func head(_ request: HTTPRequestHead, allocator: ByteBufferAllocator) -> ByteBuffer {
        var request = request
        let body: BodyExpectation
        switch request.method {
        case .TRACE: body = .no
        case .POST, .PUT, .PATCH: body = .yes
        default: body = .unlikely
        }
        isChunked = Self.frame(&request.headers, body: body, version: request.version)
        return Self.serialize(request.headers, allocator: allocator,
                              startLine: (request.method.rawValue, request.uri, "HTTP/\(request.version.major).\(request.version.minor)"))
    }

    /// `start line CRLF`, each header as `name: value CRLF`, then CRLF, in a buffer sized once.
    static func serialize(
        _ headers: HTTPHeaders, allocator: ByteBufferAllocator, startLine: (String, String, String)?, lastChunk: Bool = false
    ) -> ByteBuffer {
        var size = 2 + (lastChunk ? 3 : 0)
        if let (a, b, c) = startLine { size += a.utf8.count + b.utf8.count + c.utf8.count + 4 }
        for (name, value) in headers { size += name.utf8.count + value.utf8.count + 4 }
        var buffer = allocator.buffer(capacity: size)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
            var out = HeadWriter(base: raw.baseAddress!)
            if lastChunk { out.put("0\r\n") }
            if let (a, b, c) = startLine {
                out.put(a); out.byte(0x20); out.put(b); out.byte(0x20); out.put(c); out.crlf()
            }
            for (name, value) in headers {
                out.put(name); out.byte(0x3A); out.byte(0x20); out.put(value); out.crlf()
            }
            out.crlf()
            return out.written
        }
        return buffer
    }
}

/// Copies bytes into memory sized beforehand by ``HTTP1MessageEncoder/serialize(_:allocator:startLine:lastChunk:)``.
private struct HeadWriter {
    let base: UnsafeMutableRawPointer
    var written = 0

    @inline(__always)
    mutating func put(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            guard let source = bytes.baseAddress, bytes.count > 0 else { return }
            (base + written).copyMemory(from: source, byteCount: bytes.count)
            written += bytes.count
        }
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base.storeBytes(of: value, toByteOffset: written, as: UInt8.self)
        written += 1
    }

    @inline(__always)
    mutating func crlf() {
        byte(0x0D)
        byte(0x0A)
    }
}

/// A message head ``HTTP1MessageEncoder`` writes: a request's or a response's.
protocol HTTP1EncodableHead {
    /// The head as bytes, framed; records in `encoder` whether the body is chunked.
    func encoded(by encoder: inout HTTP1MessageEncoder, allocator: ByteBufferAllocator) -> ByteBuffer
}

extension HTTPResponseHead: HTTP1EncodableHead {
    func encoded(by encoder: inout HTTP1MessageEncoder, allocator: ByteBufferAllocator) -> ByteBuffer {
        encoder.head(self, allocator: allocator)
    }
}

extension HTTPRequestHead: HTTP1EncodableHead {
    func encoded(by encoder: inout HTTP1MessageEncoder, allocator: ByteBufferAllocator) -> ByteBuffer {
        encoder.head(self, allocator: allocator)
    }
}

extension HTTP1MessageEncoder {
    /// Writes one part of a message to `context` as bytes.
    @inline(__always)
    mutating func write<Head: HTTP1EncodableHead>(_ part: HTTPPart<Head, IOData>, context: ChannelHandlerContext,
                                                  promise: EventLoopPromise<Void>?) {
        switch part {
        case .head(let head):
            let bytes = head.encoded(by: &self, allocator: context.channel.allocator)
            context.write(NIOAny(IOData.byteBuffer(bytes)), promise: promise)
        case .body(let body):
            writeBody(body, context: context, promise: promise)
        case .end(let trailers):
            writeEnd(trailers, context: context, promise: promise)
        }
    }

    /// Writes a body part to `context`: as it is, or framed as one chunk, whose promise
    /// completes with its last buffer. An empty part is written as it is (never as a chunk,
    /// which would end the body).
    func writeBody(_ body: IOData, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let size = body.readableBytes
        guard isChunked, size > 0 else {
            context.write(NIOAny(body), promise: promise)
            return
        }
        var prefix = context.channel.allocator.buffer(capacity: 18)
        prefix.writeString(String(size, radix: 16))
        prefix.writeStaticString("\r\n")
        context.write(NIOAny(IOData.byteBuffer(prefix)), promise: nil)
        context.write(NIOAny(body), promise: nil)
        context.write(NIOAny(IOData.byteBuffer(context.channel.allocator.buffer(staticString: "\r\n"))), promise: promise)
    }

    /// Writes the end of the message to `context`: the last chunk and the trailers when
    /// chunked; otherwise nothing, but a promise still completes in order, after an empty write.
    mutating func writeEnd(_ trailers: HTTPHeaders?, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        defer { isChunked = false }
        let allocator = context.channel.allocator
        guard isChunked else {
            if let promise { context.write(NIOAny(IOData.byteBuffer(allocator.buffer(capacity: 0))), promise: promise) }
            return
        }
        let last: ByteBuffer
        if let trailers, !trailers.isEmpty {
            last = Self.serialize(trailers, allocator: allocator, startLine: nil, lastChunk: true)
        } else {
            last = allocator.buffer(staticString: "0\r\n\r\n")
        }
        context.write(NIOAny(IOData.byteBuffer(last)), promise: promise)
    }
}
