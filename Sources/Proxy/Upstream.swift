import NIOCore
import NIOSSL

/// How Gatehouse talks to a group of backends: Traefik's `serversTransports.<name>`.
///
/// Built once per configuration snapshot and shared by every upstream that names it.
public final class UpstreamTransport: Sendable {
    /// The transport's name, as written in the configuration (`default` when none is named).
    public let name: String
    /// TLS client context for `https://` backends; `nil` makes `https://` backends fail with 502.
    public let tlsContext: NIOSSLContext?
    /// SNI and verification name for `https://` backends; defaults to the backend's host.
    public let serverName: String?
    /// How long a TCP connect may take. Traefik's `forwardingTimeouts.dialTimeout`, default 30 s.
    public let dialTimeout: TimeAmount
    /// How long to wait for the response head after the request was sent; `nil` waits forever
    /// (Traefik's `forwardingTimeouts.responseHeaderTimeout`, default 0 = none).
    public let responseHeaderTimeout: TimeAmount?
    /// How long an idle pooled connection is kept. Traefik's `idleConnTimeout`, default 90 s.
    public let idleConnTimeout: TimeAmount
    /// Idle connections kept per backend and event loop. Traefik's `maxIdleConnsPerHost`, default 200.
    public let maxIdleConnsPerHost: Int
    /// The TLS settings `tlsContext` was made from, for health checks of `https://` servers.
    public let tlsConfiguration: TLSConfiguration?

    public init(
        name: String = "default",
        tlsContext: NIOSSLContext? = nil,
        serverName: String? = nil,
        dialTimeout: TimeAmount = .seconds(30),
        responseHeaderTimeout: TimeAmount? = nil,
        idleConnTimeout: TimeAmount = .seconds(90),
        maxIdleConnsPerHost: Int = 200,
        tlsConfiguration: TLSConfiguration? = nil
    ) {
        self.tlsConfiguration = tlsConfiguration
        self.name = name
        self.tlsContext = tlsContext
        self.serverName = serverName
        self.dialTimeout = dialTimeout
        self.responseHeaderTimeout = responseHeaderTimeout
        self.idleConnTimeout = idleConnTimeout
        self.maxIdleConnsPerHost = maxIdleConnsPerHost
    }
}

/// One backend server of a service: `loadBalancer.servers[].url`.
public final class Upstream: Sendable {
    /// The URL as configured, e.g. `http://10.0.0.5:8080` (used in access logs).
    public let url: String
    /// `true` for `https://` backends.
    public let isTLS: Bool
    /// Host without brackets: a name, an IPv4 or an IPv6 address.
    public let host: String
    public let port: Int
    /// `host:port` as a Host header value (IPv6 bracketed, default ports omitted).
    public let hostHeader: String
    /// A path prefix from the URL (`http://b:80/base`), prepended to the request path; empty if none.
    public let pathPrefix: String
    /// Relative weight for weighted round robin (Traefik's `weight`, default 1).
    public let weight: Int
    /// The pre-resolved address when `host` is an IP literal, so no resolver runs per connection.
    public let resolvedAddress: SocketAddress?
    public let transport: UpstreamTransport
    /// What the health checks know of the server; shared by the snapshots that have it.
    public let health: ServerHealth
    /// Key of the connection pool: backends with the same key share connections.
    let poolKey: PoolKey

    /// Parses a backend URL (`http://`, `https://`; IPv4, bracketed IPv6 or a name; optional port and path).
    public init(url: String, weight: Int = 1, transport: UpstreamTransport, health: ServerHealth = ServerHealth()) throws(UpstreamURLError) {
        self.health = health
        let lower = url.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") {
            isTLS = false
            rest = url.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            isTLS = true
            rest = url.dropFirst(8)
        } else {
            throw UpstreamURLError(url: url, reason: "the scheme must be http:// or https://")
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if let q = path.firstIndex(of: "?") { path = String(path[..<q]) }
        while path.hasSuffix("/") { path.removeLast() }
        self.pathPrefix = path
        let defaultPort = isTLS ? 443 : 80
        var parsedHost: Substring
        var parsedPort = defaultPort
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw UpstreamURLError(url: url, reason: "an IPv6 address lacks its closing ']'")
            }
            parsedHost = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw UpstreamURLError(url: url, reason: "the port is not a number from 1 to 65535")
                }
                parsedPort = p
            } else if !after.isEmpty {
                throw UpstreamURLError(url: url, reason: "unexpected text after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            parsedHost = authority[..<colon]
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
                throw UpstreamURLError(url: url, reason: "the port is not a number from 1 to 65535")
            }
            parsedPort = p
        } else {
            parsedHost = authority
        }
        if let at = parsedHost.lastIndex(of: "@") { parsedHost = parsedHost[parsedHost.index(after: at)...] }
        guard !parsedHost.isEmpty else { throw UpstreamURLError(url: url, reason: "the host is empty") }
        self.host = String(parsedHost)
        self.port = parsedPort
        self.url = url
        self.weight = max(0, weight)
        self.transport = transport
        let isV6 = host.contains(":")
        let bracketed = isV6 ? "[\(host)]" : host
        self.hostHeader = parsedPort == defaultPort ? bracketed : "\(bracketed):\(parsedPort)"
        self.resolvedAddress = try? SocketAddress(ipAddress: host, port: parsedPort)
        self.poolKey = PoolKey("\(isTLS ? "s" : "p")|\(bracketed):\(parsedPort)|\(transport.name)|\(ObjectIdentifier(transport).hashValue)")
    }
}

/// The key of a backend's connection pool: its scheme, address and transport, as text. The
/// text's hash is computed once, so the two pool lookups of every request hash one integer
/// instead of some 40 bytes of text.
struct PoolKey: Hashable {
    let text: String
    private let textHash: Int

    init(_ text: String) {
        self.text = text
        self.textHash = text.hashValue
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(textHash)
    }

    static func == (a: PoolKey, b: PoolKey) -> Bool {
        a.textHash == b.textHash && a.text == b.text
    }
}

/// A backend URL that cannot be used, and why.
public struct UpstreamURLError: Error, CustomStringConvertible, Sendable {
    public let url: String
    public let reason: String
    public var description: String { "invalid server url \"\(url)\": \(reason)" }
}
