import CBrotli
import CZlib
import Middlewares
import NIOCore
import NIOHTTP1

/// Records what reaches the client end of a response pipeline.
final class RecordingSink: ResponseSink {
    var head: HTTPResponseHead?
    var chunks: [ByteBuffer] = []
    var ended = false
    var flushes = 0
    /// Body chunks written before each flush, in order (how many chunks had arrived).
    var chunksAtFlush: [Int] = []

    func writeHead(_ head: HTTPResponseHead) {
        precondition(self.head == nil, "two heads")
        self.head = head
    }

    func writeBody(_ body: ByteBuffer) {
        precondition(head != nil, "body before head")
        precondition(!ended, "body after end")
        chunks.append(body)
    }

    func writeEnd(_ trailers: HTTPHeaders?) {
        precondition(!ended, "two ends")
        ended = true
    }

    func flush() {
        flushes += 1
        chunksAtFlush.append(chunks.count)
    }

    /// Every body byte received.
    var body: [UInt8] {
        chunks.flatMap { Array($0.readableBytesView) }
    }
}

/// A response head with `status` and `headers`.
func responseHead(_ status: Int, _ headers: [(String, String)] = []) -> HTTPResponseHead {
    HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: HTTPHeaders(headers))
}

/// Sends a whole response through the response side of `chain` and returns what the client got.
func send(
    _ head: HTTPResponseHead, body: [[UInt8]], through chain: MiddlewareChain, request: MiddlewareRequest,
    flushAfterEachChunk: Bool = false
) -> RecordingSink {
    let sink = RecordingSink()
    let pipeline = ResponsePipeline(chain: chain, request: request, passed: chain.middlewares.count, client: sink)
    pipeline.writeHead(head)
    for chunk in body {
        pipeline.writeBody(ByteBuffer(bytes: chunk))
        if flushAfterEachChunk { pipeline.flush() }
    }
    pipeline.writeEnd(nil)
    return sink
}

/// Text of `count` bytes that compresses well.
func compressibleText(_ count: Int) -> [UInt8] {
    let line = Array("the quick brown fox jumps over the lazy dog 0123456789\n".utf8)
    return (0..<count).map { line[$0 % line.count] }
}

/// `count` bytes of words picked by a fixed pseudo-random sequence: text that compresses, but not
/// to nothing.
func wordSalad(_ count: Int) -> [UInt8] {
    let words = ["gateway", "router", "service", "middleware", "compress", "stream", "chunk", "flush", "zlib", "brotli",
                 "header", "body", "status", "error", "page", "client", "backend", "event", "loop", "proxy"].map { Array($0.utf8) }
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var out: [UInt8] = []
    out.reserveCapacity(count + 16)
    while out.count < count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        out += words[Int(state >> 33) % words.count]
        out.append(state & 0x100 == 0 ? 0x20 : 0x0A)
    }
    return Array(out.prefix(count))
}

struct DecodeError: Error {
    let what: String
}

/// Decodes a gzip stream with zlib; with `partial`, a stream that was sync-flushed but not ended.
func gunzip(_ data: [UInt8], partial: Bool = false) throws -> [UInt8] {
    var stream = z_stream()
    guard czlib_inflate_init2(&stream, 15 + 16) == Z_OK else { throw DecodeError(what: "inflateInit2") }
    defer { inflateEnd(&stream) }
    var input = data
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    let status: Int32 = input.withUnsafeMutableBufferPointer { inPtr in
        stream.next_in = inPtr.baseAddress
        stream.avail_in = UInt32(inPtr.count)
        var status = Z_OK
        repeat {
            buffer.withUnsafeMutableBufferPointer { outPtr in
                stream.next_out = outPtr.baseAddress
                stream.avail_out = UInt32(outPtr.count)
                status = inflate(&stream, Z_NO_FLUSH)
                output += outPtr.prefix(outPtr.count - Int(stream.avail_out))
            }
        } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
        return status
    }
    if partial ? (status != Z_OK && status != Z_BUF_ERROR) : status != Z_STREAM_END {
        throw DecodeError(what: "inflate returned \(status)")
    }
    return output
}

/// Decodes a Brotli stream with libbrotlidec; with `partial`, one that was flushed but not ended.
func unbrotli(_ data: [UInt8], partial: Bool = false) throws -> [UInt8] {
    guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { throw DecodeError(what: "decoder") }
    defer { BrotliDecoderDestroyInstance(state) }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    let result = data.withUnsafeBufferPointer { inPtr in
        var nextIn = inPtr.baseAddress
        var availIn = inPtr.count
        var result = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT
        while result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT {
            buffer.withUnsafeMutableBufferPointer { outPtr in
                var nextOut = outPtr.baseAddress
                var availOut = outPtr.count
                result = BrotliDecoderDecompressStream(state, &availIn, &nextIn, &availOut, &nextOut, nil)
                output += outPtr.prefix(outPtr.count - availOut)
            }
        }
        return result
    }
    let expected = partial ? BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT : BROTLI_DECODER_RESULT_SUCCESS
    guard result == expected else { throw DecodeError(what: "brotli decoder result \(result.rawValue)") }
    return output
}
