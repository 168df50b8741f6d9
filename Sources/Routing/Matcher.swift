import NIOHTTP1

/// One matcher of a rule, with its arguments already normalised and compiled at parse time.
enum Matcher: Sendable {
    // HTTP
    /// Lowercased, punycoded, no trailing dot; compared to the normalised request host.
    case host(String)
    case hostRegexp(GoRegex)
    case path(String)
    case pathPrefix(String)
    case pathRegexp(GoRegex)
    case method(HTTPMethod)
    /// `name` is lowercased; header names compare case-insensitively, values exactly.
    case header(name: String, value: String)
    case headerRegexp(name: String, GoRegex)
    /// `value == nil`: the key is present (with any value).
    case query(key: String, value: String?)
    case queryRegexp(key: String, GoRegex)
    case clientIP(IPNetwork)
    // TCP
    /// `HostSNI(`*`)`: every connection, with or without TLS.
    case hostSNIAny
    /// Lowercased, punycoded, no trailing dot.
    case hostSNI(String)
    case hostSNIRegexp(GoRegex)
    case alpn(String)

    /// Whether the matcher accepts the HTTP request. TCP matchers never do.
    @inline(__always)
    func matches(_ request: RoutingRequest) -> Bool {
        switch self {
        case .host(let host):
            return Bytes.equal(request.host, host)
        case .hostRegexp(let regex):
            return regex.matches(request.host)
        case .path(let path):
            return Bytes.equal(request.path, path)
        case .pathPrefix(let prefix):
            return Bytes.hasPrefix(request.path, prefix)
        case .pathRegexp(let regex):
            return regex.matches(request.path)
        case .method(let method):
            return request.method == method
        case .header(let name, let value):
            for header in request.headers where Bytes.equalIgnoringASCIICase(header.name, name) {
                if Bytes.equal(header.value, value) { return true }
            }
            return false
        case .headerRegexp(let name, let regex):
            for header in request.headers where Bytes.equalIgnoringASCIICase(header.name, name) {
                if regex.matches(header.value) { return true }
            }
            return false
        case .query(let key, let value):
            guard !request.query.isEmpty else { return false }
            if let value {
                return QueryString.containsValue(in: request.query, forKey: key) { Bytes.equal($0, value) }
            }
            return QueryString.containsValue(in: request.query, forKey: key) { _ in true }
        case .queryRegexp(let key, let regex):
            guard !request.query.isEmpty else { return false }
            return QueryString.containsValue(in: request.query, forKey: key) { regex.matches($0) }
        case .clientIP(let network):
            guard let ip = request.clientIP else { return false }
            return network.contains(ip)
        case .hostSNIAny, .hostSNI, .hostSNIRegexp, .alpn:
            return false
        }
    }

    /// Whether the matcher accepts the TCP connection. HTTP matchers other than `ClientIP` never do.
    @inline(__always)
    func matches(_ connection: TCPRoutingInput) -> Bool {
        switch self {
        case .hostSNIAny:
            return true
        case .hostSNI(let name):
            return !connection.serverName.isEmpty && Bytes.equal(connection.serverName, name)
        case .hostSNIRegexp(let regex):
            return !connection.serverName.isEmpty && regex.matches(connection.serverName)
        case .alpn(let proto):
            return connection.alpnProtocols.contains { Bytes.equal($0, proto) }
        case .clientIP(let network):
            guard let ip = connection.clientIP else { return false }
            return network.contains(ip)
        default:
            return false
        }
    }

    /// The host (or SNI name) this matcher requires, if it requires exactly one.
    var requiredHost: String? {
        switch self {
        case .host(let host), .hostSNI(let host): return host
        default: return nil
        }
    }
}
