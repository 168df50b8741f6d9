import Config
import NIOCore
import NIOHTTP1

/// `errors`: when a response's status is in `status`, the client gets the page the error service
/// answers for `query` instead, with the original status, or the one `statusRewrites` maps it to
/// (Traefik v3). `{status}` in the query is the status the client gets, `{originalStatus}` the
/// backend's, `{url}` the request's URL, escaped. The backend's body is discarded.
public struct ErrorPages: HTTPMiddleware {
    let statuses: StatusRanges
    let rewrites: [(StatusRanges, Int)]
    let query: String
    let source: any ErrorPageSource

    /// Builds the middleware from its configuration, with `source` serving its `service`.
    ///
    /// - Throws: ``MiddlewareConfigurationError`` for a missing or bad status list, a bad
    ///   rewrite, or a service `errorPages` cannot reach.
    public init(
        _ config: Middleware.Errors, keyPath: String, errorPages: (String) -> (any ErrorPageSource)?
    ) throws(MiddlewareConfigurationError) {
        let entries = config.status ?? []
        if entries.isEmpty {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).status", "at least one status or range is required")
        }
        do throws(StatusRangeError) {
            statuses = try StatusRanges(entries)
        } catch {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).status[\(error.index)]", error.description)
        }
        var rewrites: [(StatusRanges, Int)] = []
        for (key, status) in (config.statusRewrites ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let range = try? StatusRanges([key]) else {
                throw MiddlewareConfigurationError(keyPath: "\(keyPath).statusRewrites.\(key)", "is not a status code or a range of them")
            }
            guard (100...599).contains(status) else {
                throw MiddlewareConfigurationError(keyPath: "\(keyPath).statusRewrites.\(key)", "\(status) is not a status code")
            }
            rewrites.append((range, status))
        }
        self.rewrites = rewrites
        guard let service = config.service, !service.isEmpty else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).service", "the service serving the error pages is required")
        }
        guard let source = errorPages(service) else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).service", "service \"\(service)\" is missing or disabled")
        }
        self.source = source
        let query = config.query ?? "/"
        self.query = query.hasPrefix("/") ? query : "/" + query
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome { .proceed }

    public var transformsBodies: Bool { true }

    public func responseTransformer(for head: HTTPResponseHead, request: MiddlewareRequest) -> (any ResponseTransformer)? {
        let original = Int(head.status.code)
        guard statuses.contains(original) else { return nil }
        let status = rewrites.first { $0.0.contains(original) }?.1 ?? original
        let uri = pageURI(status: status, originalStatus: original, request: request)
        return ErrorPageTransformer(status: HTTPResponseStatus(statusCode: status), uri: uri, source: source, request: request)
    }

    /// `query` with its placeholders replaced.
    func pageURI(status: Int, originalStatus: Int, request: MiddlewareRequest) -> String {
        query.replacing("{status}", with: String(status))
            .replacing("{originalStatus}", with: String(originalStatus))
            .replacing("{url}", with: Self.queryEscape(request.head.uri))
    }

    /// Go's `url.QueryEscape`: everything but unreserved characters percent-encoded, spaces as `+`.
    static func queryEscape(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

/// Replaces one response with an error page: the backend's head and body are dropped, the page
/// is fetched meanwhile, and sent once both the page and the backend's end have come.
final class ErrorPageTransformer: ResponseTransformer {
    private let status: HTTPResponseStatus
    private let uri: String
    private let source: any ErrorPageSource
    private let request: MiddlewareRequest
    private var page: Result<ErrorPage, any Error>?
    private var backendEnded = false
    private var next: (any ResponseSink)?
    private var sent = false

    init(status: HTTPResponseStatus, uri: String, source: any ErrorPageSource, request: MiddlewareRequest) {
        self.status = status
        self.uri = uri
        self.source = source
        self.request = request
    }

    func head(_ head: HTTPResponseHead, next: any ResponseSink) {
        self.next = next
        let fetched = source.fetchErrorPage(uri: uri, for: request)
        guard let eventLoop = request.eventLoop else {
            page = .failure(ErrorPageUnavailable())
            return
        }
        fetched.hop(to: eventLoop).assumeIsolated().whenComplete { [self] result in
            self.page = result
            self.sendIfReady()
        }
    }

    func body(_ body: ByteBuffer, next: any ResponseSink) {}

    func flush(next: any ResponseSink) {}

    func end(_ trailers: HTTPHeaders?, next: any ResponseSink) {
        backendEnded = true
        sendIfReady()
    }

    private func sendIfReady() {
        guard backendEnded, let page, let next, !sent else { return }
        sent = true
        var head = HTTPResponseHead(version: .http1_1, status: status)
        var body: ByteBuffer
        switch page {
        case .success(let page):
            head.headers = page.headers
            for name in ["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer"] {
                head.headers.remove(name: name)
            }
            body = page.body
        case .failure:
            // As Traefik: the status with its text when the page cannot be had.
            head.headers = ["Content-Type": "text/plain; charset=utf-8"]
            body = ByteBuffer(string: status.reasonPhrase)
        }
        head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        next.writeHead(head)
        // A HEAD request gets the page's head only.
        if body.readableBytes > 0 && request.head.method != .HEAD { next.writeBody(body) }
        next.writeEnd(nil)
        next.flush()
    }
}

/// The error page service did not answer.
struct ErrorPageUnavailable: Error, CustomStringConvertible {
    var description: String { "the error page service did not answer" }
}
