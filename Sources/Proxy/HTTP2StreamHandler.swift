import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2

/// The one handler of an HTTP/2 stream channel: turns the stream's frames into request parts
/// for the ``HTTPProxyHandler`` it holds, and its response parts into frames.
///
/// It does what NIO's `HTTP2FramePayloadToHTTP1ServerCodec` followed by the proxy handler would
/// do, with one handler per stream instead of two: every stream is a new child channel, so each
/// handler costs an allocation and a pass (a `NIOAny` box and cast) per request part both ways.
/// The conversion follows the codec's: the first HEADERS block is the request head (`:method`,
/// `:path`, `:scheme` and `:authority` required, once each, with no CTL or space in them;
/// `:authority` becomes `Host` unless there is one; a request of a method that may have a body
/// and has no Content-Length gets `Content-Length: 0` when the block ends the stream, else
/// `Transfer-Encoding: chunked`), a later one the trailers; END_STREAM ends the request. Response
/// heads become `:status` plus the headers, lowercased, without the connection-specific ones
/// (RFC 9113 §8.2.2); the end is an empty DATA frame with END_STREAM, or the trailers with it.
final class HTTP2StreamHandler: ChannelDuplexHandler, RemovableChannelHandler, ResponsePartWriter {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    let proxy: HTTPProxyHandler
    private var context: ChannelHandlerContext?
    private var headReceived = false

    init(proxy: HTTPProxyHandler) {
        self.proxy = proxy
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        proxy.writer = self
        proxy.handlerAdded(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        proxy.handlerRemoved(context: context)
        self.context = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            if headReceived {
                proxy.receive(.end(Self.regularHeaders(headers.headers)))
                return
            }
            headReceived = true
            let head: HTTPRequestHead
            do {
                head = try Self.requestHead(headers.headers, endStream: headers.endStream)
            } catch {
                proxy.errorCaught(context: context, error: error)
                return
            }
            proxy.receive(.head(head))
            if headers.endStream { proxy.receive(.end(nil)) }
        case .data(let data):
            guard case .byteBuffer(let body) = data.data else { return }
            if body.readableBytes > 0 || !data.endStream { proxy.receive(.body(body)) }
            if data.endStream { proxy.receive(.end(nil)) }
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        proxy.channelReadComplete(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        proxy.channelInactive(context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        proxy.channelWritabilityChanged(context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        proxy.errorCaught(context: context, error: error)
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        proxy.read(context: context)
    }

    func writeResponse(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>?) -> Bool {
        guard let context else { return false }
        let payload: HTTP2Frame.FramePayload
        switch part {
        case .head(let head):
            payload = .headers(.init(headers: Self.responseHeaders(head)))
        case .body(let body):
            payload = .data(.init(data: body))
        case .end(let trailers?):
            payload = .headers(.init(headers: Self.fieldBlock(status: nil, trailers), endStream: true))
        case .end(nil):
            payload = .data(.init(data: .byteBuffer(context.channel.allocator.buffer(capacity: 0)), endStream: true))
        }
        context.write(wrapOutboundOut(payload), promise: promise)
        return true
    }

    func flushResponse() -> Bool {
        guard let context else { return false }
        context.flush()
        return true
    }

    // MARK: Conversion

    /// Why a HEADERS block is not a request head.
    struct MalformedRequestHeaders: Error, CustomStringConvertible {
        /// The pseudo-header at fault.
        let name: String
        /// What is wrong with it.
        let problem: String
        var description: String { "malformed HTTP/2 request: \(name) \(problem)" }
    }

    /// The HTTP/1 view of a request's HEADERS block.
    static func requestHead(_ block: HPACKHeaders, endStream: Bool) throws -> HTTPRequestHead {
        var method: String?
        var path: String?
        var scheme: String?
        var authority: String?
        var hasHost = false
        var hasContentLength = false
        var regular = 0
        for (name, value, _) in block {
            guard name.utf8.first == UInt8(ascii: ":") else {
                regular += 1
                if name == "host" { hasHost = true } else if name == "content-length" { hasContentLength = true }
                continue
            }
            switch name {
            case ":method": try setOnce(&method, name, value)
            case ":path": try setOnce(&path, name, value)
            case ":scheme": try setOnce(&scheme, name, value)
            case ":authority": try setOnce(&authority, name, value)
            default: break
            }
        }
        guard let method else { throw MalformedRequestHeaders(name: ":method", problem: "is missing") }
        guard let path else { throw MalformedRequestHeaders(name: ":path", problem: "is missing") }
        guard scheme != nil else { throw MalformedRequestHeaders(name: ":scheme", problem: "is missing") }
        guard let authority else { throw MalformedRequestHeaders(name: ":authority", problem: "is missing") }
        let httpMethod = HTTPMethod(rawValue: method)
        var fields: [(String, String)] = []
        fields.reserveCapacity(regular + 2)
        if !hasHost { fields.append(("host", authority)) }
        if !hasContentLength {
            switch httpMethod {
            case .GET, .HEAD, .DELETE, .CONNECT, .TRACE: break
            default: fields.append(endStream ? ("content-length", "0") : ("transfer-encoding", "chunked"))
            }
        }
        for (name, value, _) in block where name.utf8.first != UInt8(ascii: ":") {
            fields.append((name, value))
        }
        return HTTPRequestHead(version: .http2, method: httpMethod, uri: path, headers: HTTPHeaders(fields))
    }

    private static func setOnce(_ slot: inout String?, _ name: String, _ value: String) throws {
        guard slot == nil else { throw MalformedRequestHeaders(name: name, problem: "appears more than once") }
        // It becomes part of an HTTP/1.1 request line or header: no CTL, space or DEL.
        guard !value.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw MalformedRequestHeaders(name: name, problem: "has a control character or a space")
        }
        slot = value
    }

    /// The regular (not pseudo) fields of a block, as HTTP/1 headers (trailers).
    static func regularHeaders(_ block: HPACKHeaders) -> HTTPHeaders {
        var fields: [(String, String)] = []
        fields.reserveCapacity(block.count)
        for (name, value, _) in block where name.utf8.first != UInt8(ascii: ":") {
            fields.append((name, value))
        }
        return HTTPHeaders(fields)
    }

    /// A response head as an HTTP/2 field block.
    static func responseHeaders(_ head: HTTPResponseHead) -> HPACKHeaders {
        fieldBlock(status: head.status.code, head.headers)
    }

    /// Names that describe an HTTP/1 connection and have no place in HTTP/2 (RFC 9113 §8.2.2).
    private static let connectionSpecific: [String] = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"]

    /// `:status` (when given) and the headers, names lowercased, without the connection-specific
    /// ones and those the Connection header names.
    static func fieldBlock(status: UInt?, _ headers: HTTPHeaders) -> HPACKHeaders {
        var block = HPACKHeaders()
        block.reserveCapacity(headers.count + 1)
        if let status { block.add(name: ":status", value: String(status)) }
        var named: [String] = []
        if HeaderRewriting.hopByHopPresent(in: headers) & 1 != 0 {  // hopByHop[0]: connection
            for (name, value) in headers where HeaderRewriting.equalsIgnoringASCIICase(name, lowercase: "connection") {
                HeaderRewriting.forEachToken(of: value) { named.append($0.lowercased()) }
            }
        }
        for (name, value) in headers {
            let lower = name.lowercased()
            if connectionSpecific.contains(lower) || (!named.isEmpty && named.contains(lower)) { continue }
            block.add(name: lower, value: value)
        }
        return block
    }
}
