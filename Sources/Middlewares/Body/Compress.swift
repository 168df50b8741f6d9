import Config
import NIOCore
import NIOHTTP1

/// `compress`: gzip or Brotli for response bodies, chosen from the request's `Accept-Encoding`
/// (Traefik's semantics).
///
/// A response is compressed when the client accepts a configured coding, the request is not a
/// HEAD, the response has a body that may be coded (not 1xx, 204, 304, nor a range), is not
/// already coded, its content type is not excluded (or is included), and its body reaches
/// `minResponseBodyBytes` — known from Content-Length, or else found out by holding back up to
/// that many bytes. Server-sent events are compressed at once and flushed event by event.
/// Bodies are compressed chunk by chunk as they stream; Content-Length is dropped and
/// `Vary: Accept-Encoding` added.
public struct Compress: HTTPMiddleware {
    let negotiation: EncodingNegotiation
    let minimumBytes: Int
    let excluded: [MediaTypePattern]
    let included: [MediaTypePattern]

    /// Builds the middleware from its configuration.
    ///
    /// - Throws: ``MiddlewareConfigurationError`` when both content-type lists are set, a content
    ///   type or encoding is invalid, or no configured encoding can be served here.
    public init(_ config: Middleware.Compress, keyPath: String) throws(MiddlewareConfigurationError) {
        if !(config.excludedContentTypes ?? []).isEmpty && !(config.includedContentTypes ?? []).isEmpty {
            throw MiddlewareConfigurationError(keyPath: keyPath, "excludedContentTypes and includedContentTypes are mutually exclusive")
        }
        func patterns(_ values: [String]?, _ key: String) throws(MiddlewareConfigurationError) -> [MediaTypePattern] {
            var result: [MediaTypePattern] = []
            for (i, value) in (values ?? []).enumerated() {
                guard let pattern = MediaTypePattern(value) else {
                    throw MiddlewareConfigurationError(keyPath: "\(keyPath).\(key)[\(i)]", "\"\(value)\" is not a media type")
                }
                result.append(pattern)
            }
            return result
        }
        excluded = try patterns(config.excludedContentTypes, "excludedContentTypes")
        included = try patterns(config.includedContentTypes, "includedContentTypes")
        guard config.effectiveMinResponseBodyBytes >= 0 else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).minResponseBodyBytes", "must not be negative")
        }
        minimumBytes = config.effectiveMinResponseBodyBytes
        var preferred: [ContentCoding] = []
        for (i, name) in config.effectiveEncodings.enumerated() {
            switch name.lowercased() {
            case "gzip", "br":
                let coding = ContentCoding(rawValue: name.lowercased())!
                if !preferred.contains(coding) { preferred.append(coding) }
            case "zstd":
                continue  // Traefik's; no zstd encoder here, so clients get their next choice
            default:
                throw MiddlewareConfigurationError(
                    keyPath: "\(keyPath).encodings[\(i)]", "unknown encoding \"\(name)\" (gzip, br and zstd are known)")
            }
        }
        if preferred.isEmpty {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).encodings", "none of the encodings can be served here (gzip and br can)")
        }
        var defaultCoding: ContentCoding?
        if let name = config.defaultEncoding, !name.isEmpty {
            guard let coding = ContentCoding(rawValue: name.lowercased()), preferred.contains(coding) else {
                throw MiddlewareConfigurationError(
                    keyPath: "\(keyPath).defaultEncoding", "\"\(name)\" is not one of the encodings served (\(preferred.map(\.rawValue)))")
            }
            defaultCoding = coding
        }
        negotiation = EncodingNegotiation(preferred: preferred, defaultCoding: defaultCoding)
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome { .proceed }

    public var transformsBodies: Bool { true }

    public func responseTransformer(for head: HTTPResponseHead, request: MiddlewareRequest) -> (any ResponseTransformer)? {
        guard let coding = coding(for: head, request: request) else { return nil }
        let contentType = head.headers.first(name: "content-type").flatMap(MediaTypePattern.init)
        let streaming = contentType?.mediaType == "text/event-stream"
        if !streaming, let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length < minimumBytes {
            return nil
        }
        return CompressingTransformer(coding: coding, minimumBytes: minimumBytes, startAtOnce: streaming || head.headers.contains(name: "content-length"))
    }

    /// The coding to apply, or `nil` when this response is not compressed whatever its size.
    func coding(for head: HTTPResponseHead, request: MiddlewareRequest) -> ContentCoding? {
        let requestHeaders = request.head.headers
        if request.head.method == .HEAD || requestHeaders.contains(name: "range") { return nil }
        let code = head.status.code
        if code < 200 || code == 204 || code == 304 || code == 206 || head.headers.contains(name: "content-range") { return nil }
        if let encoding = head.headers.first(name: "content-encoding"), !encoding.isEmpty, encoding.lowercased() != "identity" {
            return nil
        }
        // gRPC is never compressed; an excluded request content type turns compression off too.
        if let requestType = requestHeaders.first(name: "content-type").flatMap(MediaTypePattern.init) {
            if requestType.mediaType.hasPrefix("application/grpc") { return nil }
            if excluded.contains(where: { $0.matches(requestType) }) { return nil }
        }
        let contentType = head.headers.first(name: "content-type").flatMap(MediaTypePattern.init)
        if let contentType {
            if contentType.mediaType.hasPrefix("application/grpc") { return nil }
            if excluded.contains(where: { $0.matches(contentType) }) { return nil }
        }
        if !included.isEmpty {
            guard let contentType, included.contains(where: { $0.matches(contentType) }) else { return nil }
        }
        return negotiation.coding(acceptEncoding: requestHeaders["accept-encoding"])
    }
}

/// Compresses one response: decides, holds back the head and up to `minimumBytes` of body when
/// the size is not known yet, then compresses chunk by chunk.
final class CompressingTransformer: ResponseTransformer {
    private let coding: ContentCoding
    private let minimumBytes: Int
    private let startAtOnce: Bool
    private var compressor: (any StreamCompressor)?
    /// The head and body held back while the size is not known.
    private var heldHead: HTTPResponseHead?
    private var held: ByteBuffer?
    private let allocator = ByteBufferAllocator()

    init(coding: ContentCoding, minimumBytes: Int, startAtOnce: Bool) {
        self.coding = coding
        self.minimumBytes = minimumBytes
        self.startAtOnce = startAtOnce
    }

    func head(_ head: HTTPResponseHead, next: any ResponseSink) {
        var head = head
        head.headers.add(name: "Vary", value: "Accept-Encoding")
        if startAtOnce || minimumBytes == 0 {
            start(head, next: next)
        } else {
            heldHead = head
        }
    }

    func body(_ body: ByteBuffer, next: any ResponseSink) {
        if let compressor {
            var output = allocator.buffer(capacity: 0)
            compressor.compress(body, flush: false, into: &output)
            if output.readableBytes > 0 { next.writeBody(output) }
            return
        }
        guard let head = heldHead else { return next.writeBody(body) }
        var body = body
        if self.held == nil {
            self.held = body
        } else {
            self.held!.writeBuffer(&body)
        }
        if let count = self.held?.readableBytes, count >= minimumBytes {
            heldHead = nil
            start(head, next: next)
            let buffered = self.held!
            self.held = nil
            self.body(buffered, next: next)
        }
    }

    func flush(next: any ResponseSink) {
        // Held bytes stay held until the size is known; a started compressor gives what it has.
        if let compressor {
            var output = allocator.buffer(capacity: 0)
            compressor.compress(ByteBuffer(), flush: true, into: &output)
            if output.readableBytes > 0 { next.writeBody(output) }
            next.flush()
        } else if heldHead == nil {
            next.flush()
        }
    }

    func end(_ trailers: HTTPHeaders?, next: any ResponseSink) {
        if let compressor {
            var output = allocator.buffer(capacity: 0)
            compressor.finish(into: &output)
            if output.readableBytes > 0 { next.writeBody(output) }
        } else if let head = heldHead {
            // Smaller than the minimum: sent as it came.
            heldHead = nil
            next.writeHead(head)
            if let held, held.readableBytes > 0 { next.writeBody(held) }
            held = nil
        }
        next.writeEnd(trailers)
    }

    private func start(_ head: HTTPResponseHead, next: any ResponseSink) {
        var head = head
        head.headers.remove(name: "content-length")
        head.headers.remove(name: "accept-ranges")
        head.headers.replaceOrAdd(name: "Content-Encoding", value: coding.rawValue)
        compressor = coding.makeCompressor()
        next.writeHead(head)
    }
}
