import CBrotli
import CZlib
import NIOCore

/// A content coding applied to a body as it streams: chunks in, compressed bytes out, with
/// bounded memory whatever the body's size.
///
/// Used by one response on one event loop.
protocol StreamCompressor: AnyObject {
    /// Compresses `input`, appending to `output` what the compressor gives now; with `flush`,
    /// everything given so far can be decoded from the output (a sync flush).
    func compress(_ input: ByteBuffer, flush: Bool, into output: inout ByteBuffer)
    /// Ends the stream, appending the rest of the output.
    func finish(into output: inout ByteBuffer)
}

/// The codings the compress middleware can produce, as named in `Accept-Encoding`.
enum ContentCoding: String, Sendable, CaseIterable {
    case brotli = "br"
    case gzip = "gzip"

    /// A new compressor for one response.
    func makeCompressor() -> any StreamCompressor {
        switch self {
        case .gzip: GzipCompressor()
        case .brotli: BrotliCompressor()
        }
    }
}

/// gzip (RFC 1952) by zlib's deflate, at zlib's default level as Go's gzip writer uses.
final class GzipCompressor: StreamCompressor {
    private let stream: UnsafeMutablePointer<z_stream>

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
        let status = czlib_deflate_init2(stream, Z_DEFAULT_COMPRESSION, 15 + 16, 8)
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func compress(_ input: ByteBuffer, flush: Bool, into output: inout ByteBuffer) {
        run(input, mode: flush ? Z_SYNC_FLUSH : Z_NO_FLUSH, into: &output)
    }

    func finish(into output: inout ByteBuffer) {
        run(ByteBuffer(), mode: Z_FINISH, into: &output)
    }

    private func run(_ input: ByteBuffer, mode: Int32, into output: inout ByteBuffer) {
        var empty: UInt8 = 0
        input.withUnsafeReadableBytes { bytes in
            withUnsafeMutablePointer(to: &empty) { placeholder in
                let base = bytes.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
                stream.pointee.next_in = base ?? placeholder
                stream.pointee.avail_in = UInt32(bytes.count)
                var status = Z_OK
                repeat {
                    output.writeWithUnsafeMutableBytes(minimumWritableBytes: max(512, bytes.count / 2)) { out in
                        stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                        stream.pointee.avail_out = UInt32(out.count)
                        status = deflate(stream, mode)
                        return out.count - Int(stream.pointee.avail_out)
                    }
                    // Output space ran out: the compressor has more to give.
                } while stream.pointee.avail_out == 0 || (mode == Z_FINISH && status == Z_OK)
                stream.pointee.next_in = nil
            }
        }
    }
}

/// Brotli (RFC 7932) by libbrotlienc, at quality 6 as the Go encoder Traefik uses defaults to,
/// with a 64 KiB window: the encoder then holds at most 128 KiB of a response before it gives
/// output (with the default 4 MiB window it would hold up to 8 MiB per response).
final class BrotliCompressor: StreamCompressor {
    private let state: OpaquePointer

    init() {
        guard let state = BrotliEncoderCreateInstance(nil, nil, nil) else {
            preconditionFailure("BrotliEncoderCreateInstance failed")
        }
        BrotliEncoderSetParameter(state, BROTLI_PARAM_QUALITY, 6)
        BrotliEncoderSetParameter(state, BROTLI_PARAM_LGWIN, 16)
        self.state = state
    }

    deinit {
        BrotliEncoderDestroyInstance(state)
    }

    func compress(_ input: ByteBuffer, flush: Bool, into output: inout ByteBuffer) {
        run(input, operation: flush ? BROTLI_OPERATION_FLUSH : BROTLI_OPERATION_PROCESS, into: &output)
    }

    func finish(into output: inout ByteBuffer) {
        run(ByteBuffer(), operation: BROTLI_OPERATION_FINISH, into: &output)
    }

    private func run(_ input: ByteBuffer, operation: BrotliEncoderOperation, into output: inout ByteBuffer) {
        input.withUnsafeReadableBytes { bytes in
            var nextIn = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var availIn = bytes.count
            while true {
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: max(512, availIn / 2)) { out in
                    var nextOut: UnsafeMutablePointer<UInt8>? = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    var availOut = out.count
                    _ = BrotliEncoderCompressStream(state, operation, &availIn, &nextIn, &availOut, &nextOut, nil)
                    return out.count - availOut
                }
                let pending = BrotliEncoderHasMoreOutput(state) != 0
                if availIn > 0 || pending { continue }
                if operation == BROTLI_OPERATION_FINISH && BrotliEncoderIsFinished(state) == 0 { continue }
                break
            }
        }
    }
}
