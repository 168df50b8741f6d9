import Config
import NIOHTTP1

/// `buffering`: the request body is read whole before the request is forwarded, and refused with
/// 413 past ``maxRequestBodyBytes`` — at once, without reading it, when Content-Length announces
/// it, or as soon as a chunked body's count passes the limit. ``retryCondition`` sends the
/// request again while it holds after an attempt.
///
/// With ``maxResponseBodyBytes``, a response of unannounced length is held whole and sent with
/// its Content-Length, or replaced by 500 as soon as it passes the limit (``ResponseBuffer``); a
/// Content-Length over the limit is refused at the response's head.
///
/// Bodies are held in memory (no spill to a temporary file): `memRequestBodyBytes` and
/// `memResponseBodyBytes` are accepted for compatibility and have no effect, and a request body
/// of up to ``maxRequestBodyBytes`` (or of any size when it is 0) is kept in memory until it has
/// been forwarded. Set limits.
///
/// The middleware answers oversized Content-Length requests itself; the rest (collecting the
/// body, the chunked count, retries) the proxy does from the router's ``MiddlewareChain/exchange``.
public struct Buffering: HTTPMiddleware {
    /// Request bodies larger than this get 413; 0 means no limit.
    public let maxRequestBodyBytes: Int64
    /// Kept from the configuration; bodies are held in memory whatever its value.
    public let memRequestBodyBytes: Int64
    /// Response bodies larger than this get 500; 0 means no limit.
    public let maxResponseBodyBytes: Int64
    /// When to send the request again after an attempt (`retryExpression`).
    public let retryCondition: RetryExpression?

    /// - Throws: ``MiddlewareConfigurationError`` for a negative size, or a `retryExpression`
    ///   that does not parse (naming the key and what is wrong).
    public init(_ config: Middleware.Buffering, keyPath: String) throws(MiddlewareConfigurationError) {
        for (key, value) in [("maxRequestBodyBytes", config.maxRequestBodyBytes), ("memRequestBodyBytes", config.memRequestBodyBytes),
                             ("maxResponseBodyBytes", config.maxResponseBodyBytes), ("memResponseBodyBytes", config.memResponseBodyBytes)] {
            if let value, value < 0 {
                throw MiddlewareConfigurationError(keyPath: "\(keyPath).\(key)", "must not be negative")
            }
        }
        self.maxRequestBodyBytes = config.maxRequestBodyBytes ?? 0
        self.memRequestBodyBytes = config.memRequestBodyBytes ?? 1_048_576
        self.maxResponseBodyBytes = config.maxResponseBodyBytes ?? 0
        if let source = config.retryExpression, !source.trimmingASCIISpaces.isEmpty {
            do {
                self.retryCondition = try RetryExpression(source)
            } catch {
                throw MiddlewareConfigurationError(keyPath: "\(keyPath).retryExpression", "invalid expression \"\(source)\": \(error)")
            }
        } else {
            self.retryCondition = nil
        }
    }

    /// Whether a body of `bytes` is over the limit.
    @inline(__always)
    public func exceeds(_ bytes: Int64) -> Bool {
        maxRequestBodyBytes > 0 && bytes > maxRequestBodyBytes
    }

    /// Responses go through a ``ResponseBuffer`` when ``maxResponseBodyBytes`` is set.
    public var transformsBodies: Bool { maxResponseBodyBytes > 0 }

    /// A ``ResponseBuffer`` for a response of unannounced length, when ``maxResponseBodyBytes``
    /// is set; informational, 204 and 304 responses and HEAD requests have no body to hold.
    public func responseTransformer(for head: HTTPResponseHead, request: MiddlewareRequest) -> (any ResponseTransformer)? {
        guard maxResponseBodyBytes > 0, !head.headers.contains(name: "content-length"), request.head.method != .HEAD,
              head.status.code >= 200, head.status != .noContent, head.status != .notModified else { return nil }
        return ResponseBuffer(limit: maxResponseBodyBytes)
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        if maxRequestBodyBytes > 0, let length = request.head.headers.first(name: "content-length").flatMap({ Int64($0) }),
           length > maxRequestBodyBytes {
            return .respond(.plainError(.payloadTooLarge))
        }
        return .proceed
    }
}

extension String {
    fileprivate var trimmingASCIISpaces: Substring {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
