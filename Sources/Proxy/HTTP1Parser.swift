#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1
import Routing

/// Why bytes received could not be read as an HTTP/1 message.
struct HTTP1ParseError: Error, Equatable, CustomStringConvertible {
    enum Reason: Equatable {
        /// The request line and header fields (or the trailer fields) exceed the limit, in bytes.
        case headTooLarge(limit: Int)
        /// The request line is not `method SP target SP HTTP/1.x`.
        case invalidRequestLine
        /// The status line is not `HTTP/1.x SP 3DIGIT [SP reason]`.
        case invalidStatusLine
        /// The version is not HTTP/1.x.
        case unsupportedVersion
        /// A header field's name is empty or not a token, or whitespace precedes its colon.
        case invalidHeaderName
        /// A header field has no colon.
        case missingColon
        /// A header field's value holds a control character.
        case invalidHeaderValue
        /// A header line starts with whitespace (obsolete line folding, RFC 9112 §5.2).
        case obsoleteLineFolding
        /// A CR not followed by LF.
        case bareCarriageReturn
        /// Content-Length is not a decimal number that fits in 63 bits.
        case invalidContentLength
        /// Content-Length appears more than once.
        case duplicateContentLength
        /// Both Content-Length and Transfer-Encoding: the framing is ambiguous (request smuggling).
        case contentLengthWithTransferEncoding
        /// A request's Transfer-Encoding does not end in `chunked`, names `chunked` twice, or
        /// comes with HTTP/1.0.
        case unsupportedTransferEncoding
        /// A chunk-size line is not hexadecimal digits, an optional extension and CRLF.
        case invalidChunkSize
        /// Chunk data is not followed by CRLF.
        case missingChunkTerminator
    }

    var reason: Reason
    /// The header field concerned, when there is one.
    var field: String?

    init(_ reason: Reason, field: String? = nil) {
        self.reason = reason
        self.field = field
    }

    /// Whether the answer is 431 rather than 400.
    var isHeadTooLarge: Bool {
        if case .headTooLarge = reason { return true }
        return false
    }

    var description: String {
        let what: String
        switch reason {
        case .headTooLarge(let limit): what = "the header section is larger than \(limit) bytes"
        case .invalidRequestLine: what = "the request line is not \"method target HTTP/1.x\""
        case .invalidStatusLine: what = "the status line is not \"HTTP/1.x code reason\""
        case .unsupportedVersion: what = "the HTTP version is not 1.x"
        case .invalidHeaderName: what = "a header name is not a token"
        case .missingColon: what = "a header line has no colon"
        case .invalidHeaderValue: what = "a header value holds a control character"
        case .obsoleteLineFolding: what = "a header line is folded (starts with whitespace)"
        case .bareCarriageReturn: what = "a CR is not followed by LF"
        case .invalidContentLength: what = "Content-Length is not a number"
        case .duplicateContentLength: what = "Content-Length appears more than once"
        case .contentLengthWithTransferEncoding: what = "Content-Length and Transfer-Encoding are both present"
        case .unsupportedTransferEncoding: what = "Transfer-Encoding does not end in a single chunked, or comes with HTTP/1.0"
        case .invalidChunkSize: what = "a chunk-size line is malformed"
        case .missingChunkTerminator: what = "chunk data is not followed by CRLF"
        }
        guard let field else { return "malformed HTTP/1 message: \(what)" }
        return "malformed HTTP/1 message: \(what) (field \"\(field)\")"
    }
}

/// An incremental HTTP/1.1 parser for both sides of the proxy: requests from clients and
/// responses from backends. Bytes go in with ``append(_:)``; message parts come out of
/// ``next()`` one at a time, body parts as slices of the buffers received (never copied).
///
/// It takes the place of NIO's llhttp-based decoders and keeps their defences: Content-Length
/// together with Transfer-Encoding, repeated or malformed Content-Length, a request whose
/// Transfer-Encoding does not end in `chunked`, obsolete line folding, whitespace before a
/// header's colon and control characters in values are all errors, and the header section is
/// bounded. A head is parsed only once it has arrived whole (its end is searched for first,
/// resuming where the search stopped), so a client sending a byte at a time costs linear work.
///
/// After a request that asks to switch protocols (an `Upgrade` header, or CONNECT) and after a
/// 101 response, parsing pauses: what follows may be another protocol. ``resume()`` goes on
/// (the upgrade was refused); ``takeUnparsedBytes()`` hands the bytes over (it was accepted).
struct HTTP1Parser {
    /// Which messages are read.
    enum Kind {
        case request
        case response
    }

    /// One part of a message.
    enum Part {
        case requestHead(HTTPRequestHead)
        case responseHead(HTTPResponseHead)
        case body(ByteBuffer)
        case end(HTTPHeaders?)
    }

    private enum State {
        /// Waiting for the next message's head.
        case head
        /// The message ends next, with these trailers.
        case end(HTTPHeaders?)
        case fixedBody(remaining: Int64)
        case chunkSize
        case chunkData(remaining: Int64)
        case chunkDataEnd
        case trailers
        /// A response without framing: its body runs until the backend closes.
        case untilClose
        /// After an upgrade request or a 101: the bytes that follow are not parsed.
        case paused
    }

    let kind: Kind
    /// The most bytes a request line (or status line) and the header fields may take, and the
    /// trailer fields.
    let maxHeadBytes: Int
    /// Responses only: the request this response answers was HEAD, so it has no body.
    var answeringHEAD = false

    private var state = State.head
    /// Bytes received and not parsed yet; `nil` once all were parsed, so that the receive buffer
    /// they came in is free for reuse.
    private var buffer: ByteBuffer?
    /// How far the search for the end of a head (or trailer section) got, from the reader index.
    private var searched = 0
    private var pauseAtEnd = false

    init(kind: Kind, maxHeadBytes: Int) {
        self.kind = kind
        self.maxHeadBytes = maxHeadBytes
    }

    /// Whether the next part is a message's head (or the parser waits for one).
    var isAtMessageStart: Bool {
        if case .head = state { return true }
        return false
    }

    /// Whether parsing has paused after an upgrade request or a 101 response.
    var isPaused: Bool {
        if case .paused = state { return true }
        return false
    }

    /// Whether bytes received are waiting to be parsed.
    var hasUnparsedBytes: Bool {
        (buffer?.readableBytes ?? 0) > 0
    }

    /// Whether a response is being read whose body ends only when the connection closes.
    var readsUntilClose: Bool {
        if case .untilClose = state { return true }
        return false
    }

    /// Adds bytes received.
    mutating func append(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        if buffer == nil || buffer!.readableBytes == 0 {
            buffer = bytes
        } else {
            var bytes = bytes
            buffer!.writeBuffer(&bytes)
        }
    }

    /// Parses on after a pause (the upgrade was refused).
    mutating func resume() {
        if case .paused = state { state = .head }
    }

    /// The bytes received and not parsed (after an accepted upgrade: the other protocol's first).
    mutating func takeUnparsedBytes() -> ByteBuffer? {
        defer { buffer = nil; searched = 0 }
        guard let buffer, buffer.readableBytes > 0 else { return nil }
        return buffer
    }

    /// The next part of a message from the bytes received, or `nil` when more bytes are needed
    /// (or parsing is paused).
    mutating func next() throws(HTTP1ParseError) -> Part? {
        while true {
            switch state {
            case .head:
                guard let head = try parseHead() else { return nil }
                guard let head else { continue }  // an interim response (1xx), dropped
                return head
            case .end(let trailers):
                state = pauseAtEnd ? .paused : .head
                pauseAtEnd = false
                return .end(trailers)
            case .fixedBody(let remaining):
                guard let slice = takeBody(upTo: remaining) else { return nil }
                let left = remaining - Int64(slice.readableBytes)
                state = left == 0 ? .end(nil) : .fixedBody(remaining: left)
                return .body(slice)
            case .untilClose:
                guard let slice = takeBody(upTo: .max) else { return nil }
                return .body(slice)
            case .chunkData(let remaining):
                guard let slice = takeBody(upTo: remaining) else { return nil }
                let left = remaining - Int64(slice.readableBytes)
                state = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)
                return .body(slice)
            case .chunkSize:
                guard try parseChunkSize() else { return nil }
            case .chunkDataEnd:
                guard let available = buffer?.readableBytes, available >= 2 else { return nil }
                guard buffer!.readInteger(as: UInt16.self) == 0x0D0A else {
                    throw HTTP1ParseError(.missingChunkTerminator)
                }
                state = .chunkSize
            case .trailers:
                guard let trailers = try parseTrailers() else { return nil }
                state = .end(trailers.isEmpty ? nil : trailers)
            case .paused:
                return nil
            }
            dropBufferIfEmpty()
        }
    }

    /// At the end of the input (the peer closed): the end of a body that runs until the close,
    /// else nothing.
    mutating func finish() -> Part? {
        guard case .untilClose = state else { return nil }
        state = .head
        return .end(nil)
    }

    /// Runs `body` over the unparsed bytes and passes its error on as it is:
    /// `withUnsafeReadableBytes` rethrows, which would erase the error's type.
    private func readingBytes<T>(_ body: (UnsafeRawBufferPointer) throws(HTTP1ParseError) -> T) throws(HTTP1ParseError) -> T {
        let result: Result<T, HTTP1ParseError> = buffer!.withUnsafeReadableBytes { bytes in
            do throws(HTTP1ParseError) {
                return .success(try body(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: Bodies

    private mutating func takeBody(upTo limit: Int64) -> ByteBuffer? {
        guard let available = buffer?.readableBytes, available > 0 else { return nil }
        let count = Int(min(Int64(available), limit))
        let slice = buffer!.readSlice(length: count)
        dropBufferIfEmpty()
        return slice
    }

    @inline(__always)
    private mutating func dropBufferIfEmpty() {
        if let buffer, buffer.readableBytes == 0 {
            self.buffer = nil
            searched = 0
        }
    }

    /// `1*HEXDIG [ chunk-ext ] CRLF`; false when the line has not arrived whole.
    private mutating func parseChunkSize() throws(HTTP1ParseError) -> Bool {
        guard buffer != nil else { return false }
        let limit = 4096
        let line: (size: Int64, length: Int)? = try readingBytes { bytes throws(HTTP1ParseError) in
            guard let lf = Self.index(of: 0x0A, in: bytes, from: 0) else {
                if bytes.count > limit { throw HTTP1ParseError(.invalidChunkSize) }
                return nil
            }
            guard lf > 0, lf <= limit, bytes[lf - 1] == 0x0D else { throw HTTP1ParseError(.invalidChunkSize) }
            var size: UInt64 = 0
            var index = 0
            while index < lf - 1, let digit = Self.hexValue(bytes[index]) {
                guard size >> 59 == 0 else { throw HTTP1ParseError(.invalidChunkSize) }
                size = size << 4 | UInt64(digit)
                index += 1
            }
            guard index > 0, Self.isChunkExtensions(UnsafeRawBufferPointer(rebasing: bytes[index..<(lf - 1)])) else {
                throw HTTP1ParseError(.invalidChunkSize)
            }
            return (Int64(size), lf + 1)
        }
        guard let line else { return false }
        buffer!.moveReaderIndex(forwardBy: line.length)
        state = line.size == 0 ? .trailers : .chunkData(remaining: line.size)
        return true
    }

    /// Whether `bytes` are chunk extensions (RFC 9112 §7.1.1): `*( BWS ";" BWS token
    /// [ BWS "=" BWS ( token / quoted-string ) ] )`. They are checked, not kept.
    private static func isChunkExtensions(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        func skipWhitespace() { while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 } }
        func token() -> Bool {
            let start = i
            while i < bytes.count && HTTPToken.isTokenByte(bytes[i]) { i += 1 }
            return i > start
        }
        while true {
            skipWhitespace()
            guard i < bytes.count else { return true }
            guard bytes[i] == 0x3B else { return false }
            i += 1
            skipWhitespace()
            guard token() else { return false }
            skipWhitespace()
            guard i < bytes.count, bytes[i] == 0x3D else { continue }
            i += 1
            skipWhitespace()
            if i < bytes.count && bytes[i] == 0x22 {
                // quoted-string: qdtext and quoted-pairs up to the closing quote.
                i += 1
                while i < bytes.count && bytes[i] != 0x22 {
                    if bytes[i] == 0x5C { i += 1 }
                    guard i < bytes.count, isFieldByte(bytes[i]) else { return false }
                    i += 1
                }
                guard i < bytes.count else { return false }
                i += 1
            } else if !token() {
                return false
            }
        }
    }

    /// The trailer section after the last chunk, once it has arrived whole.
    private mutating func parseTrailers() throws(HTTP1ParseError) -> HTTPHeaders? {
        guard let end = try findSectionEnd(allowingEmpty: true) else { return nil }
        let fields = try readingBytes { bytes throws(HTTP1ParseError) in
            var fields: [(String, String)] = []
            var position = 0
            var none: Framing? = nil
            while let line = try Self.nextLine(in: bytes, from: &position, end: end), line.count > 0 {
                fields.append(try Self.field(UnsafeRawBufferPointer(rebasing: bytes[line]), framing: &none))
            }
            return fields
        }
        buffer!.moveReaderIndex(forwardBy: end)
        searched = 0
        return HTTPHeaders(fields)
    }

    // MARK: Heads

    /// Framing facts gathered from the header fields.
    private struct Framing {
        var contentLength: Int64?
        var hasTransferEncoding = false
        /// The last transfer coding named is `chunked`.
        var chunkedLast = false
        /// `chunked` was named more than once, or before another coding.
        var chunkedMisplaced = false
        var hasUpgrade = false
    }

    /// Skips empty lines before a message (RFC 9112 §2.2) and finds the end of the header
    /// section: the offset just past its empty line, or `nil` while it has not arrived.
    /// `allowingEmpty`: the section may be just the empty line (trailers).
    private mutating func findSectionEnd(allowingEmpty: Bool) throws(HTTP1ParseError) -> Int? {
        guard buffer != nil else { return nil }
        if !allowingEmpty {
            // Leading CRLFs are skipped.
            while let first = buffer!.getInteger(at: buffer!.readerIndex, as: UInt8.self) {
                if first == 0x0A {
                    buffer!.moveReaderIndex(forwardBy: 1)
                } else if first == 0x0D {
                    guard let second = buffer!.getInteger(at: buffer!.readerIndex + 1, as: UInt8.self) else { return nil }
                    guard second == 0x0A else { throw HTTP1ParseError(.bareCarriageReturn) }
                    buffer!.moveReaderIndex(forwardBy: 2)
                } else {
                    break
                }
                searched = 0
            }
            guard buffer!.readableBytes > 0 else {
                buffer = nil
                return nil
            }
        }
        let start = searched
        let limit = maxHeadBytes
        let (end, resume): (Int?, Int) = buffer!.withUnsafeReadableBytes { bytes in
            // An empty section (no trailer fields) is its empty line alone.
            if allowingEmpty, bytes.count >= 1 {
                if bytes[0] == 0x0A { return (1, 0) }
                if bytes[0] == 0x0D {
                    guard bytes.count >= 2 else { return (nil, 0) }
                    if bytes[1] == 0x0A { return (2, 0) }
                }
            }
            var from = start
            while let lf = Self.index(of: 0x0A, in: bytes, from: from) {
                let next = lf + 1
                guard next < bytes.count else { return (nil, lf) }
                if bytes[next] == 0x0A { return (next + 1, 0) }
                if bytes[next] == 0x0D {
                    guard next + 1 < bytes.count else { return (nil, lf) }
                    if bytes[next + 1] == 0x0A { return (next + 2, 0) }
                }
                from = next
            }
            return (nil, bytes.count)
        }
        guard let end else {
            searched = resume
            if buffer!.readableBytes > limit { throw HTTP1ParseError(.headTooLarge(limit: limit)) }
            return nil
        }
        if end > limit { throw HTTP1ParseError(.headTooLarge(limit: limit)) }
        return end
    }

    /// Parses a head that has arrived whole: `nil` while it has not, `.some(nil)` for an
    /// interim response that is dropped.
    private mutating func parseHead() throws(HTTP1ParseError) -> Part?? {
        guard let end = try findSectionEnd(allowingEmpty: false) else { return nil }
        let kind = self.kind
        let (part, framing) = try readingBytes { bytes throws(HTTP1ParseError) in try Self.head(bytes, end: end, kind: kind) }
        buffer!.moveReaderIndex(forwardBy: end)
        searched = 0
        dropBufferIfEmpty()

        switch part {
        case .requestHead(let head):
            if framing.hasTransferEncoding {
                guard framing.contentLength == nil else { throw HTTP1ParseError(.contentLengthWithTransferEncoding) }
                guard framing.chunkedLast, !framing.chunkedMisplaced, head.version.minor >= 1 else {
                    throw HTTP1ParseError(.unsupportedTransferEncoding, field: "Transfer-Encoding")
                }
                state = .chunkSize
            } else if let length = framing.contentLength, length > 0 {
                state = .fixedBody(remaining: length)
            } else {
                state = .end(nil)
            }
            pauseAtEnd = framing.hasUpgrade || head.method == .CONNECT
            return .some(part)
        case .responseHead(let head):
            let code = head.status.code
            if code >= 100 && code < 200 && code != 101 {
                state = .head
                return .some(nil)
            }
            if framing.hasTransferEncoding && framing.contentLength != nil {
                throw HTTP1ParseError(.contentLengthWithTransferEncoding)
            }
            if code == 101 {
                state = .end(nil)
                pauseAtEnd = true
            } else if answeringHEAD || code == 204 || code == 304 {
                state = .end(nil)
            } else if framing.hasTransferEncoding {
                // Chunked last: chunked (never twice). Another coding last: until the close
                // (RFC 9112 §6.3). HTTP/1.0 has no transfer codings: the framing is faulty.
                guard head.version.minor >= 1, !(framing.chunkedLast && framing.chunkedMisplaced) else {
                    throw HTTP1ParseError(.unsupportedTransferEncoding, field: "Transfer-Encoding")
                }
                state = framing.chunkedLast ? .chunkSize : .untilClose
            } else if let length = framing.contentLength {
                state = length > 0 ? .fixedBody(remaining: length) : .end(nil)
            } else {
                state = .untilClose
            }
            return .some(part)
        case .body, .end:
            preconditionFailure("a head parses to a head")
        }
    }

    /// The head in `bytes[0..<end]`, and what its fields say about framing.
    private static func head(_ bytes: UnsafeRawBufferPointer, end: Int, kind: Kind) throws(HTTP1ParseError) -> (Part, Framing) {
        var position = 0
        guard let startLine = try nextLine(in: bytes, from: &position, end: end) else {
            throw HTTP1ParseError(kind == .request ? .invalidRequestLine : .invalidStatusLine)
        }
        var fields: [(String, String)] = []
        fields.reserveCapacity(12)
        var framing: Framing? = Framing()
        while let line = try nextLine(in: bytes, from: &position, end: end), line.count > 0 {
            fields.append(try field(UnsafeRawBufferPointer(rebasing: bytes[line]), framing: &framing))
        }
        let line = UnsafeRawBufferPointer(rebasing: bytes[startLine])
        switch kind {
        case .request:
            return (.requestHead(try requestHead(line, fields: fields)), framing!)
        case .response:
            return (.responseHead(try responseHead(line, fields: fields)), framing!)
        }
    }

    /// The range of the next line (without its CR LF or LF), moving `position` past it; `nil`
    /// at `end`.
    @inline(__always)
    private static func nextLine(in bytes: UnsafeRawBufferPointer, from position: inout Int, end: Int) throws(HTTP1ParseError) -> Range<Int>? {
        guard position < end, let lf = index(of: 0x0A, in: bytes, from: position), lf < end else { return nil }
        let start = position
        position = lf + 1
        if lf > start && bytes[lf - 1] == 0x0D { return start..<(lf - 1) }
        return start..<lf
    }

    /// `method SP request-target SP HTTP/1.x`.
    private static func requestHead(_ line: UnsafeRawBufferPointer, fields: [(String, String)]) throws(HTTP1ParseError) -> HTTPRequestHead {
        guard let firstSpace = index(of: 0x20, in: line, from: 0), firstSpace > 0,
              let secondSpace = index(of: 0x20, in: line, from: firstSpace + 1), secondSpace > firstSpace + 1,
              line.count - secondSpace - 1 == 8 else {
            throw HTTP1ParseError(.invalidRequestLine)
        }
        for i in 0..<firstSpace where !HTTPToken.isTokenByte(line[i]) { throw HTTP1ParseError(.invalidRequestLine) }
        for i in (firstSpace + 1)..<secondSpace {
            let byte = line[i]
            guard byte > 0x20 && byte != 0x7F else { throw HTTP1ParseError(.invalidRequestLine) }
        }
        let version = try version(UnsafeRawBufferPointer(rebasing: line[(secondSpace + 1)...]), malformed: .invalidRequestLine)
        let method = method(UnsafeRawBufferPointer(rebasing: line[..<firstSpace]))
        let uri = String(decoding: UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace]), as: UTF8.self)
        return HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders(fields))
    }

    /// `HTTP/1.x SP 3DIGIT [SP reason-phrase]`. The reason phrase is not kept: the status
    /// line toward the client carries the standard one, as Go's server (and so Traefik) writes it.
    private static func responseHead(_ line: UnsafeRawBufferPointer, fields: [(String, String)]) throws(HTTP1ParseError) -> HTTPResponseHead {
        guard line.count >= 12, line[8] == 0x20 else { throw HTTP1ParseError(.invalidStatusLine) }
        let version = try version(UnsafeRawBufferPointer(rebasing: line[..<8]), malformed: .invalidStatusLine)
        var code = 0
        for i in 9..<12 {
            let byte = line[i]
            guard byte >= 0x30 && byte <= 0x39 else { throw HTTP1ParseError(.invalidStatusLine) }
            code = code * 10 + Int(byte - 0x30)
        }
        guard code >= 100 else { throw HTTP1ParseError(.invalidStatusLine) }
        if line.count > 12 {
            guard line[12] == 0x20 else { throw HTTP1ParseError(.invalidStatusLine) }
            for i in 13..<line.count where !isFieldByte(line[i]) { throw HTTP1ParseError(.invalidStatusLine) }
        }
        return HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: code), headers: HTTPHeaders(fields))
    }

    /// `HTTP/1.DIGIT`.
    @inline(__always)
    private static func version(_ bytes: UnsafeRawBufferPointer, malformed: HTTP1ParseError.Reason) throws(HTTP1ParseError) -> HTTPVersion {
        guard bytes.count == 8, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F,
              bytes[6] == 0x2E, bytes[5] >= 0x30 && bytes[5] <= 0x39, bytes[7] >= 0x30 && bytes[7] <= 0x39 else {
            throw HTTP1ParseError(malformed)
        }
        guard bytes[5] == 0x31 else { throw HTTP1ParseError(.unsupportedVersion) }
        return HTTPVersion(major: 1, minor: Int(bytes[7] - 0x30))
    }

    /// The method: the common ones without comparing strings.
    @inline(__always)
    private static func method(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod {
        switch bytes.count {
        case 3:
            if bytes[0] == 0x47 && bytes[1] == 0x45 && bytes[2] == 0x54 { return .GET }
            if bytes[0] == 0x50 && bytes[1] == 0x55 && bytes[2] == 0x54 { return .PUT }
        case 4:
            if bytes[0] == 0x50 && bytes[1] == 0x4F && bytes[2] == 0x53 && bytes[3] == 0x54 { return .POST }
            if bytes[0] == 0x48 && bytes[1] == 0x45 && bytes[2] == 0x41 && bytes[3] == 0x44 { return .HEAD }
        default:
            break
        }
        return HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
    }

    /// `field-name ":" OWS field-value OWS`, noting in `framing` the fields that frame the
    /// message (`nil` for trailer fields, which never frame).
    @inline(__always)
    private static func field(_ line: UnsafeRawBufferPointer, framing: inout Framing?) throws(HTTP1ParseError) -> (String, String) {
        guard let first = line.first else { throw HTTP1ParseError(.missingColon) }
        if first == 0x20 || first == 0x09 { throw HTTP1ParseError(.obsoleteLineFolding) }
        var colon = 0
        while colon < line.count && HTTPToken.isTokenByte(line[colon]) { colon += 1 }
        guard colon < line.count, line[colon] == 0x3A else {
            if colon < line.count, line[colon] == 0x0D { throw HTTP1ParseError(.bareCarriageReturn) }
            if index(of: 0x3A, in: line, from: colon) == nil { throw HTTP1ParseError(.missingColon) }
            throw HTTP1ParseError(.invalidHeaderName)
        }
        guard colon > 0 else { throw HTTP1ParseError(.invalidHeaderName) }
        var start = colon + 1
        var end = line.count
        while start < end && (line[start] == 0x20 || line[start] == 0x09) { start += 1 }
        while end > start && (line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
        let nameBytes = UnsafeRawBufferPointer(rebasing: line[..<colon])
        for i in start..<end where !isFieldByte(line[i]) {
            throw HTTP1ParseError(line[i] == 0x0D ? .bareCarriageReturn : .invalidHeaderValue,
                                  field: String(decoding: nameBytes, as: UTF8.self))
        }
        let valueBytes = UnsafeRawBufferPointer(rebasing: line[start..<end])
        if framing != nil {
            switch colon {
            case 14 where equalsLowercase(nameBytes, "content-length"):
                guard framing!.contentLength == nil else {
                    throw HTTP1ParseError(.duplicateContentLength, field: "Content-Length")
                }
                framing!.contentLength = try contentLength(valueBytes)
            case 17 where equalsLowercase(nameBytes, "transfer-encoding"):
                try noteTransferCodings(valueBytes, in: &framing!)
            case 7 where equalsLowercase(nameBytes, "upgrade"):
                framing!.hasUpgrade = true
            default:
                break
            }
        }
        return (String(decoding: nameBytes, as: UTF8.self), String(decoding: valueBytes, as: UTF8.self))
    }

    private static func contentLength(_ bytes: UnsafeRawBufferPointer) throws(HTTP1ParseError) -> Int64 {
        guard !bytes.isEmpty, bytes.count <= 18 else { throw HTTP1ParseError(.invalidContentLength, field: "Content-Length") }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { throw HTTP1ParseError(.invalidContentLength, field: "Content-Length") }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    /// Records the codings of one Transfer-Encoding field (a comma-separated list).
    private static func noteTransferCodings(_ bytes: UnsafeRawBufferPointer, in framing: inout Framing) throws(HTTP1ParseError) {
        framing.hasTransferEncoding = true
        var start = 0
        var named = false
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x2C { end += 1 }
            var a = start
            var b = end
            while a < b && (bytes[a] == 0x20 || bytes[a] == 0x09) { a += 1 }
            while b > a && (bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09) { b -= 1 }
            if b > a {
                named = true
                let isChunked = equalsLowercase(UnsafeRawBufferPointer(rebasing: bytes[a..<b]), "chunked")
                if framing.chunkedLast { framing.chunkedMisplaced = true }
                framing.chunkedLast = isChunked
            }
            start = end + 1
        }
        guard named else { throw HTTP1ParseError(.unsupportedTransferEncoding, field: "Transfer-Encoding") }
    }

    // MARK: Bytes

    @inline(__always)
    private static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// A byte a field value may hold: HTAB, SP, VCHAR and obs-text.
    @inline(__always)
    static func isFieldByte(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    /// Whether `bytes` equal `lowercase` ignoring ASCII case. Setting bit 0x20 folds exactly the
    /// letters here: `lowercase` holds lower-case letters and `-` only, and `bytes` were checked
    /// to hold no control characters (a token, or a field value).
    @inline(__always)
    private static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for i in 0..<bytes.count where bytes[i] | 0x20 != expected[i] {
            return false
        }
        return true
    }
}
