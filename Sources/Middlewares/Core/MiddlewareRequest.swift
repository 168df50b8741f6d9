import NIOCore
import NIOHTTP1
import Routing
import TLS

/// A request on its way through a router's middlewares.
///
/// ``head`` is what will be forwarded: middlewares change its `uri` (path and query) and headers.
/// The X-Forwarded-Proto/-Host/-Port/-Server and X-Real-Ip headers are already set, and
/// X-Forwarded-* headers from untrusted clients already removed, as at a Traefik entry point;
/// the client's address is appended to X-Forwarded-For after the middlewares, as Traefik's
/// forwarder does.
public struct MiddlewareRequest: Sendable {
    /// The head to forward.
    public var head: HTTPRequestHead
    /// The Host header (or the authority of an absolute-form target) as received, port included.
    public let host: String
    /// Whether the client connection is TLS.
    public let isTLS: Bool
    /// The address of the connection's peer.
    public let peerIP: IPAddress?
    /// The connection's event loop, for middlewares that suspend the request; `nil` outside a
    /// connection (tests), where they decide synchronously.
    public let eventLoop: (any EventLoop)?
    /// Values a middleware keeps with the request for its response side, under a key of its own
    /// (forwardAuth's cookies for the client, for example).
    public var annotations: [String: [String]] = [:]
    /// The certificate the client presented in the TLS handshake (mutual TLS), if any.
    public let peerCertificate: PeerCertificate?
    /// When the proxy received the request head; middlewares measure latencies from it.
    public let receivedAt: NIODeadline
    /// What ``peerCertificate`` says.
    public var clientCertificate: ClientCertificateInfo? { peerCertificate?.info }

    /// - Parameters:
    ///   - head: the head to forward, with forwarded headers already applied.
    ///   - host: the Host (or authority) as received.
    ///   - isTLS: whether the client connection is TLS.
    ///   - peerIP: the connection peer's address.
    ///   - eventLoop: the connection's event loop.
    ///   - clientCertificate: the client's TLS certificate, if it sent one.
    ///   - receivedAt: when the request head arrived; now by default.
    public init(
        head: HTTPRequestHead, host: String, isTLS: Bool, peerIP: IPAddress?, eventLoop: (any EventLoop)? = nil,
        clientCertificate: PeerCertificate? = nil, receivedAt: NIODeadline = .now()
    ) {
        self.head = head
        self.host = host
        self.isTLS = isTLS
        self.peerIP = peerIP
        self.eventLoop = eventLoop
        self.peerCertificate = clientCertificate
        self.receivedAt = receivedAt
    }

    /// The path of ``head``'s target, without the query.
    public var path: Substring {
        let uri = head.uri[...]
        return uri.firstIndex(of: "?").map { uri[..<$0] } ?? uri
    }

    /// The query of ``head``'s target with its `?`, or an empty string.
    public var query: Substring {
        let uri = head.uri[...]
        return uri.firstIndex(of: "?").map { uri[$0...] } ?? ""
    }

    /// Replaces the path of ``head``'s target and keeps the query.
    public mutating func setPath(_ path: some StringProtocol) {
        head.uri = String(path) + query
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        head.headers.first(name: name)
    }
}

/// The certificate a client presented (mutual TLS), parsed once per connection and shared, by
/// reference, by the requests on it.
public final class PeerCertificate: Sendable {
    public let info: ClientCertificateInfo

    public init(_ info: ClientCertificateInfo) {
        self.info = info
    }
}
