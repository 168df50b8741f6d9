import NIOHTTP1
import Routing

/// The header rules of a reverse proxy: hop-by-hop headers (RFC 9110 §7.6.1) never cross it, and
/// the X-Forwarded-* family is trusted only from trusted peers (Traefik's `forwardedHeaders`).
enum HeaderRewriting {
    /// Headers that describe one connection, never forwarded (Transfer-Encoding is handled apart:
    /// the encoders re-frame bodies themselves).
    static let hopByHop: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
        "proxy-authorization", "proxy-authenticate",
    ]

    /// The headers Traefik drops from untrusted clients before setting its own.
    static let forwardedFamily: [String] = [
        "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
        "x-forwarded-server", "x-forwarded-uri", "x-forwarded-method", "x-forwarded-prefix",
        "x-forwarded-tls-client-cert", "x-forwarded-tls-client-cert-info", "x-real-ip",
    ]

    /// Whether any name of `list` (lowercase) is among the headers, in one pass over them.
    /// Most messages carry none of the headers a proxy rewrites, so this check (byte compares,
    /// rejected mostly by length) spares a search per listed name.
    @inline(__always)
    static func containsAny(of list: [String], in headers: HTTPHeaders) -> Bool {
        for (name, _) in headers {
            for candidate in list where equalsIgnoringASCIICase(name, lowercase: candidate) {
                return true
            }
        }
        return false
    }

    /// ASCII case-insensitive equality against an already lowercase name.
    @inline(__always)
    static func equalsIgnoringASCIICase(_ name: String, lowercase: String) -> Bool {
        guard name.utf8.count == lowercase.utf8.count else { return false }
        var a = name.utf8.makeIterator()
        var b = lowercase.utf8.makeIterator()
        while let x = a.next(), let y = b.next() {
            let folded = (x >= 0x41 && x <= 0x5A) ? x | 0x20 : x
            if folded != y { return false }
        }
        return true
    }

    /// Removes hop-by-hop headers and every header the Connection header names.
    /// Returns whether the request asked for a protocol upgrade, and the Upgrade value if so.
    @inline(__always)
    static func removeHopByHop(_ headers: inout HTTPHeaders, keepUpgrade: Bool) -> String? {
        guard containsAny(of: hopByHop, in: headers) else { return nil }
        var upgrade: String? = nil
        if headers.contains(name: "connection") {
            var wantsUpgrade = false
            for token in headers[canonicalForm: "connection"] {
                let name = token.lowercased()
                if name == "upgrade" { wantsUpgrade = true }
                if name != "close" && name != "keep-alive" && name != "upgrade" {
                    headers.remove(name: name)
                }
            }
            if keepUpgrade && wantsUpgrade, let value = headers.first(name: "upgrade") {
                upgrade = value
            }
        }
        for name in hopByHop where headers.contains(name: name) {
            headers.remove(name: name)
        }
        if let upgrade {
            headers.add(name: "Connection", value: "Upgrade")
            headers.add(name: "Upgrade", value: upgrade)
        }
        return upgrade
    }

    /// Removes the transfer framing headers of a message whose body the encoder re-frames.
    @inline(__always)
    static func removeFraming(_ headers: inout HTTPHeaders) {
        if headers.contains(name: "transfer-encoding") { headers.remove(name: "transfer-encoding") }
    }

    /// Sets X-Forwarded-For/-Proto/-Host/-Port/-Server and X-Real-Ip as Traefik does.
    ///
    /// - Parameters:
    ///   - trusted: the client is in `forwardedHeaders.trustedIPs` (or `insecure` is set): the
    ///     values it sent are kept and extended; otherwise they are replaced.
    ///   - clientIP: the client's address as text.
    ///   - tls: the client connection is TLS.
    ///   - websocket: the request is a WebSocket upgrade (proto `ws`/`wss`).
    ///   - defaultPort: the port to report when the Host header has none.
    ///   - appendForwardedFor: also add the client to X-Forwarded-For; `false` leaves that to
    ///     ``appendForwardedFor(_:clientIP:)`` after the router's middlewares, which see the
    ///     header as received (Traefik's forwarder appends it last).
    static func applyForwarded(
        _ headers: inout HTTPHeaders,
        trusted: Bool,
        clientIP: String,
        tls: Bool,
        websocket: Bool,
        entryPointPort: Int,
        serverName: String,
        appendForwardedFor: Bool = true
    ) {
        let host = headers.first(name: "host")
        headers.reserveCapacity(headers.count + 6)
        guard containsAny(of: forwardedFamily, in: headers) else {
            // The common case: the client sent none of them, so set them all.
            headers.add(name: "X-Forwarded-Proto", value: websocket ? (tls ? "wss" : "ws") : (tls ? "https" : "http"))
            if let host { headers.add(name: "X-Forwarded-Host", value: host) }
            headers.add(name: "X-Forwarded-Port", value: String(port(ofHost: host) ?? (tls ? 443 : 80)))
            headers.add(name: "X-Forwarded-Server", value: serverName)
            headers.add(name: "X-Real-Ip", value: clientIP)
            if appendForwardedFor { headers.add(name: "X-Forwarded-For", value: clientIP) }
            return
        }
        if !trusted {
            for name in forwardedFamily where headers.contains(name: name) {
                headers.remove(name: name)
            }
        }
        if !headers.contains(name: "x-forwarded-proto") {
            headers.add(name: "X-Forwarded-Proto", value: websocket ? (tls ? "wss" : "ws") : (tls ? "https" : "http"))
        }
        if !headers.contains(name: "x-forwarded-host"), let host {
            headers.add(name: "X-Forwarded-Host", value: host)
        }
        if !headers.contains(name: "x-forwarded-port") {
            headers.add(name: "X-Forwarded-Port", value: String(port(ofHost: host) ?? (tls ? 443 : 80)))
        }
        headers.replaceOrAdd(name: "X-Forwarded-Server", value: serverName)
        if !headers.contains(name: "x-real-ip") {
            headers.add(name: "X-Real-Ip", value: clientIP)
        }
        if appendForwardedFor {
            Self.appendForwardedFor(&headers, clientIP: clientIP)
        }
    }

    /// Adds the client to X-Forwarded-For (one header line, prior values first).
    static func appendForwardedFor(_ headers: inout HTTPHeaders, clientIP: String) {
        if headers.contains(name: "x-forwarded-for") {
            let prior = headers[canonicalForm: "x-forwarded-for"].joined(separator: ", ")
            headers.replaceOrAdd(name: "X-Forwarded-For", value: prior + ", " + clientIP)
        } else {
            headers.add(name: "X-Forwarded-For", value: clientIP)
        }
    }

    /// The explicit port of a Host header value (`example.com:8443`, `[::1]:8443`), if any.
    static func port(ofHost host: String?) -> Int? {
        host.flatMap { HostAndPort($0).portNumber }
    }
}
