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
    static func equalsIgnoringASCIICase<Name: StringProtocol>(_ name: Name, lowercase: String) -> Bool {
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
    ///
    /// Most responses carry `Connection: keep-alive` and nothing else of the list: one pass
    /// finds which listed names are there, the Connection tokens are read in place (no arrays,
    /// no lowercased copies), and only the names found are removed.
    @inline(__always)
    static func removeHopByHop(_ headers: inout HTTPHeaders, keepUpgrade: Bool) -> String? {
        let present = hopByHopPresent(in: headers)
        guard present != 0 else { return nil }
        var upgrade: String? = nil
        if present & 1 != 0 {  // hopByHop[0]: connection
            var wantsUpgrade = false
            var named: [String] = []
            for (name, value) in headers where equalsIgnoringASCIICase(name, lowercase: "connection") {
                forEachToken(of: value) { token in
                    if equalsIgnoringASCIICase(token, lowercase: "upgrade") {
                        wantsUpgrade = true
                    } else if !equalsIgnoringASCIICase(token, lowercase: "close") && !equalsIgnoringASCIICase(token, lowercase: "keep-alive") {
                        named.append(String(token))
                    }
                }
            }
            for name in named { headers.remove(name: name) }
            if keepUpgrade && wantsUpgrade, let value = headers.first(name: "upgrade") {
                upgrade = value
            }
        }
        for (index, name) in hopByHop.enumerated() where present & (1 << index) != 0 {
            headers.remove(name: name)
        }
        if let upgrade {
            headers.add(name: "Connection", value: "Upgrade")
            headers.add(name: "Upgrade", value: upgrade)
        }
        return upgrade
    }

    /// Which names of ``hopByHop`` the headers carry: bit `i` set for `hopByHop[i]`.
    @inline(__always)
    static func hopByHopPresent(in headers: HTTPHeaders) -> UInt32 {
        var present: UInt32 = 0
        for (name, _) in headers {
            for (index, candidate) in hopByHop.enumerated() where equalsIgnoringASCIICase(name, lowercase: candidate) {
                present |= 1 << index
                break
            }
        }
        return present
    }

    /// Calls `body` with each element of a comma-separated header value, spaces and tabs around
    /// it trimmed, empty elements skipped (the reading of `HTTPHeaders[canonicalForm:]`).
    @inline(__always)
    static func forEachToken(of value: String, _ body: (Substring) -> Void) {
        let bytes = value.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.endIndex
            var first = start
            var last = end
            while first < last, bytes[first] == 0x20 || bytes[first] == 0x09 { first = bytes.index(after: first) }
            while first < last {
                let before = bytes.index(before: last)
                guard bytes[before] == 0x20 || bytes[before] == 0x09 else { break }
                last = before
            }
            if first < last { body(Substring(bytes[first..<last])) }
            start = end == bytes.endIndex ? end : bytes.index(after: end)
        }
    }

    /// Whether the connection stays open after a message (RFC 9112 §9.3): `close` among the
    /// Connection tokens closes it, `keep-alive` keeps it, else HTTP/1.1 keeps it and 1.0 does
    /// not. NIO's `isKeepAlive` decides the same but builds four arrays for a message that
    /// has a Connection header (its parser set a shortcut that ours has no way to set); this
    /// reads the tokens in place.
    static func isKeepAlive(_ headers: HTTPHeaders, version: HTTPVersion) -> Bool {
        var close = false
        var keepAlive = false
        for (name, value) in headers where equalsIgnoringASCIICase(name, lowercase: "connection") {
            forEachToken(of: value) { token in
                if equalsIgnoringASCIICase(token, lowercase: "close") {
                    close = true
                } else if equalsIgnoringASCIICase(token, lowercase: "keep-alive") {
                    keepAlive = true
                }
            }
        }
        if close { return false }
        return keepAlive || (version.major == 1 && version.minor >= 1)
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
            // The common case: the client sent none of them, so set them all, in one append
            // (`add(name:value:)` checks every name it is given for non-ASCII bytes; these are ours).
            var added: [(String, String)] = []
            added.reserveCapacity(6)
            added.append(("X-Forwarded-Proto", websocket ? (tls ? "wss" : "ws") : (tls ? "https" : "http")))
            if let host { added.append(("X-Forwarded-Host", host)) }
            added.append(("X-Forwarded-Port", String(port(ofHost: host) ?? (tls ? 443 : 80))))
            added.append(("X-Forwarded-Server", serverName))
            added.append(("X-Real-Ip", clientIP))
            if appendForwardedFor { added.append(("X-Forwarded-For", clientIP)) }
            headers.add(contentsOf: HTTPHeaders(added))
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
        // Most Host values have no port: a byte scan says so without splitting by characters.
        guard let host, host.utf8.contains(UInt8(ascii: ":")) else { return nil }
        return HostAndPort(host).portNumber
    }
}
