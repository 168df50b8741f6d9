import NIOHTTP1

/// What routing looks at in an HTTP request, prepared once per request.
///
/// Building one costs a scan of the host and of the request target; the path is only decoded when
/// it contains `%`, and the query is only parsed when a `Query`/`QueryRegexp` matcher runs.
public struct RoutingRequest: Sendable {
    /// The host: lowercased, port and trailing dot removed, brackets removed from IPv6 literals,
    /// internationalised names in punycode (`xn--bcher-kva.example`). Empty when there is none.
    public let host: String
    /// The path as received (percent-encoded), without query or fragment.
    public let rawPath: String
    /// The routing path the path matchers see: `rawPath` with percent-encodings decoded, except
    /// those of reserved characters (`%2F`, `%3F`, `%25`, …), which stay encoded with uppercase
    /// hex digits — Traefik v3's routing path. The same string as `rawPath` when it has no `%`.
    public let path: String
    /// The raw query, without the `?`; empty when there is none.
    public let query: String
    public let method: HTTPMethod
    public let headers: HTTPHeaders
    /// The peer's address (not X-Forwarded-For), for `ClientIP`.
    public let clientIP: IPAddress?

    /// A request from its parts.
    ///
    /// - Parameters:
    ///   - host: the raw authority (`Example.COM:8443`, `[::1]:443`, `bücher.example`); normalised
    ///     with ``normalizeHost(_:)``. An absolute-form `uri` (`http://host/path`) overrides it.
    ///   - uri: the request target: origin form `/path?query`, absolute form, or `*`.
    public init(
        method: HTTPMethod = .GET,
        host: String,
        uri: String,
        headers: HTTPHeaders = HTTPHeaders(),
        clientIP: IPAddress? = nil
    ) {
        let target = RoutingRequest.splitTarget(uri)
        self.init(method: method, normalizedHost: target.authority.map { RoutingRequest.normalizeHost($0) }
                    ?? RoutingRequest.normalizeHost(host[...], whole: host),
                  target: target, headers: headers, clientIP: clientIP)
    }

    /// A request from a NIO request head.
    ///
    /// - Parameters:
    ///   - host: the raw authority to use; when nil, the authority of an absolute-form target,
    ///     else the `Host` header.
    ///   - path: the request target to use instead of `head.uri` (path and optional query).
    public init(head: HTTPRequestHead, host: String? = nil, path: String? = nil, clientIP: IPAddress?) {
        let target = RoutingRequest.splitTarget(path ?? head.uri)
        let normalized: String
        if let host {
            normalized = RoutingRequest.normalizeHost(host[...], whole: host)
        } else if let authority = target.authority {
            normalized = RoutingRequest.normalizeHost(authority)
        } else if let header = head.headers.first(name: "host") {
            normalized = RoutingRequest.normalizeHost(header[...], whole: header)
        } else {
            normalized = ""
        }
        self.init(method: head.method, normalizedHost: normalized, target: target, headers: head.headers, clientIP: clientIP)
    }

    private init(method: HTTPMethod, normalizedHost: String, target: Target, headers: HTTPHeaders, clientIP: IPAddress?) {
        self.host = normalizedHost
        self.rawPath = target.path
        self.path = target.hasPercent ? RoutingRequest.routingPath(target.path[...]) : target.path
        self.query = target.query
        self.method = method
        self.headers = headers
        self.clientIP = clientIP
    }

    // MARK: Request target

    struct Target {
        var authority: Substring?
        var path: String
        var query: String
        var hasPercent: Bool
    }

    /// Splits a request target into authority (absolute and authority forms), path and query.
    static func splitTarget(_ uri: String) -> Target {
        if let target = uri.utf8.withContiguousStorageIfAvailable({ splitTarget(uri, bytes: $0) }) {
            return target
        }
        var copy = uri
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable { splitTarget(copy, bytes: $0) }!
    }

    private static func splitTarget(_ uri: String, bytes: UnsafeBufferPointer<UInt8>) -> Target {
        guard let first = bytes.first else { return Target(authority: nil, path: "", query: "", hasPercent: false) }
        if first == UInt8(ascii: "/") || first == UInt8(ascii: "*") {
            var queryStart = -1
            var end = bytes.count
            var hasPercent = false
            for i in 0..<bytes.count {
                let byte = bytes[i]
                if byte == UInt8(ascii: "?") {
                    if queryStart < 0 { queryStart = i }
                } else if byte == UInt8(ascii: "#") {
                    end = i
                    break
                } else if byte == UInt8(ascii: "%") && queryStart < 0 {
                    hasPercent = true
                }
            }
            if queryStart < 0 && end == bytes.count {
                return Target(authority: nil, path: uri, query: "", hasPercent: hasPercent)
            }
            let pathEnd = queryStart < 0 ? end : queryStart
            let path = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<pathEnd]), as: UTF8.self)
            let query = queryStart < 0 ? "" : String(decoding: UnsafeBufferPointer(rebasing: bytes[(queryStart + 1)..<end]), as: UTF8.self)
            return Target(authority: nil, path: path, query: query, hasPercent: hasPercent)
        }
        // Absolute form: scheme "://" authority [path] ["?" query].
        if let schemeEnd = uri.range(of: "://") {
            let rest = uri[schemeEnd.upperBound...]
            let authorityEnd = rest.utf8.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
                ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.utf8.index(after: at)...] }
            let remainder = String(rest[authorityEnd...])
            var target = remainder.utf8.first == UInt8(ascii: "/") ? splitTarget(remainder) : splitTarget("/" + remainder)
            target.authority = authority
            return target
        }
        // Authority form (CONNECT host:port).
        return Target(authority: uri[...], path: "", query: "", hasPercent: false)
    }

    // MARK: Host normalisation

    /// Normalises a raw `Host` value for routing: surrounding whitespace and the port are removed
    /// (`example.com:8080` → `example.com`), IPv6 brackets too (`[::1]:443` → `::1`), ASCII is
    /// lowercased, one trailing dot is dropped, and non-ASCII names become punycode
    /// (`Bücher.example` → `xn--bcher-kva.example`). A bare IPv6 address (several colons) is kept.
    public static func normalizeHost(_ raw: Substring) -> String {
        normalizeHost(raw, whole: nil)
    }

    /// `whole`: the String `raw` spans entirely, if any, returned as it is (no copy) when it needs
    /// no change — the common case of a lowercase host without port.
    @inline(__always)
    static func normalizeHost(_ raw: Substring, whole: String?) -> String {
        if let whole, isNormalizedHost(whole.utf8) { return whole }
        if let host = raw.utf8.withContiguousStorageIfAvailable({ normalizeHost(bytes: $0) }) {
            return host
        }
        return Array(raw.utf8).withUnsafeBufferPointer { normalizeHost(bytes: $0) }
    }

    /// Printable ASCII without uppercase letters, `:` or `[`, and no trailing dot.
    @inline(__always)
    static func isNormalizedHost(_ utf8: String.UTF8View) -> Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes {
                guard byte > 0x20 && byte < 0x7F && byte &- UInt8(ascii: "A") >= 26
                        && byte != UInt8(ascii: ":") && byte != UInt8(ascii: "[") else { return false }
            }
            return bytes.last != UInt8(ascii: ".")
        } ?? false
    }

    private static func normalizeHost(bytes: UnsafeBufferPointer<UInt8>) -> String {
        var start = 0
        var end = bytes.count
        while start < end && bytes[start] <= 0x20 { start += 1 }
        while end > start && bytes[end - 1] <= 0x20 { end -= 1 }
        if start < end && bytes[start] == UInt8(ascii: "[") {
            start += 1
            var close = start
            while close < end && bytes[close] != UInt8(ascii: "]") { close += 1 }
            end = close
        } else {
            var colons = 0
            var lastColon = 0
            for i in start..<end where bytes[i] == UInt8(ascii: ":") {
                colons += 1
                lastColon = i
            }
            if colons == 1 { end = lastColon }
            if end - start > 1 && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        }
        var upper = false
        var nonASCII = false
        for i in start..<end {
            let byte = bytes[i]
            if byte >= 0x80 { nonASCII = true } else if byte &- UInt8(ascii: "A") < 26 { upper = true }
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if nonASCII {
            let text = String(decoding: slice, as: UTF8.self)
            return IDNA.toASCII(text) ?? text.lowercased()
        }
        if upper {
            return String(unsafeUninitializedCapacity: slice.count) { buffer in
                for i in 0..<slice.count { buffer[i] = Bytes.lowercase(slice[i]) }
                return slice.count
            }
        }
        return String(decoding: slice, as: UTF8.self)
    }

    /// Normalises a host written in a rule (`Host`, `HostSNI`): like ``normalizeHost(_:)``, but a
    /// port is an error rather than ignored. Returns nil for a value that cannot name a host.
    static func normalizeRuleHost(_ value: String) -> String? {
        var host = value[...]
        if host.utf8.first == UInt8(ascii: "[") {
            guard host.utf8.last == UInt8(ascii: "]") else { return nil }
            host = host.dropFirst().dropLast()
            guard let address = IPAddress(host), address.isIPv6 else { return nil }
            return IDNA.asciiLowercased(host)
        }
        if host.contains(":") {
            guard let address = IPAddress(host), address.isIPv6 else { return nil }
            return IDNA.asciiLowercased(host)
        }
        for byte in host.utf8 {
            switch byte {
            case 0...0x20, UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "@"),
                 UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "\\"):
                return nil
            default:
                continue
            }
        }
        if host.utf8.last == UInt8(ascii: "."), host.utf8.count > 1 { host = host.dropLast() }
        guard let ascii = IDNA.toASCII(host), !ascii.isEmpty, !ascii.hasPrefix("."), !ascii.contains("..") else {
            return nil
        }
        return ascii
    }

    // MARK: Path decoding

    /// Decodes percent-encodings in a path, keeping reserved characters (RFC 3986 gen-delims and
    /// sub-delims, and `%` itself) encoded with uppercase hex digits, as Traefik v3 routes. Invalid
    /// sequences are kept as they are.
    public static func routingPath(_ raw: Substring) -> String {
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return String(raw) }
        var output: [UInt8] = []
        output.reserveCapacity(raw.utf8.count)
        let bytes = Array(raw.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%"), i + 2 < bytes.count, Bytes.isHexDigit(bytes[i + 1]), Bytes.isHexDigit(bytes[i + 2]) {
                let value = Bytes.hexValue(bytes[i + 1]) << 4 | Bytes.hexValue(bytes[i + 2])
                if isReserved(value) {
                    output.append(UInt8(ascii: "%"))
                    output.append(upperHex(value >> 4))
                    output.append(upperHex(value & 0xF))
                } else {
                    output.append(value)
                }
                i += 3
            } else {
                output.append(byte)
                i += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The form a rule's path argument is compared in: the same decoding as request paths, so that
    /// `PathPrefix(`/a%20b`)` and `PathPrefix(`/a b`)` both match `/a%20b`.
    static func normalizePercentEncoding(_ path: String) -> String {
        routingPath(path[...])
    }

    @inline(__always)
    static func isReserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "%"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func upperHex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
