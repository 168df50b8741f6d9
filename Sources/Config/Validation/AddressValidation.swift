#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks of backend addresses: `http(s)://host[:port][/path]` URLs and `host:port` pairs.
public enum BackendAddress {
    /// Why `url` is not a usable HTTP server URL, or `nil` when it is.
    ///
    /// Accepted: scheme `http`, `https` or `h2c` (cleartext HTTP/2, as Traefik), a host that is
    /// an IPv4 address, a bracketed IPv6 address or a DNS name, an optional port 1–65535, and
    /// an optional path and query. User info (`user@`) is not accepted.
    public static func problem(withServerURL url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else {
            return "\"\(url)\" is not a URL (expected e.g. http://10.0.0.5:8080)"
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard ["http", "https", "h2c"].contains(scheme) else {
            return "unsupported scheme \"\(scheme)\" in \"\(url)\" (expected http, https or h2c)"
        }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        if authority.contains("@") {
            return "user info is not allowed in server URL \"\(url)\""
        }
        guard !authority.isEmpty else { return "missing host in \"\(url)\"" }
        if let reason = problem(withHostPort: authority, portRequired: false) {
            return "\(reason) in \"\(url)\""
        }
        return nil
    }

    /// Why `address` is not a usable `host:port` (TCP or UDP server), or `nil` when it is.
    public static func problem(withAddress address: String) -> String? {
        guard !address.isEmpty else { return "empty address" }
        return problem(withHostPort: address, portRequired: true).map { "\($0) in \"\(address)\"" }
    }

    static func problem(withHostPort text: String, portRequired: Bool) -> String? {
        var host: Substring
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return "unbalanced brackets" }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return "unexpected text after IPv6 address" }
                port = after.dropFirst()
            }
            guard isIPv6(String(host)) else { return "\"\(host)\" is not an IPv6 address" }
        } else {
            let colons = text.filter { $0 == ":" }.count
            if colons > 1 { return "IPv6 addresses must be in brackets" }
            if let colon = text.firstIndex(of: ":") {
                host = text[..<colon]
                port = text[text.index(after: colon)...]
            } else {
                host = Substring(text)
            }
            guard !host.isEmpty else { return "missing host" }
            if !isIPv4(String(host)) && !isHostName(String(host)) {
                return "\"\(host)\" is not a host name or IP address"
            }
        }
        if let port {
            guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
                  (1...65535).contains(number) else {
                return "port \"\(port)\" is not a number between 1 and 65535"
            }
        } else if portRequired {
            return "missing port"
        }
        return nil
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! <= 255
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        // Zone identifiers (`fe80::1%eth0`) are allowed.
        let address = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        var buffer = in6_addr()
        return address.withCString { inet_pton(AF_INET6, $0, &buffer) } == 1
    }

    static func isHostName(_ text: String) -> Bool {
        var name = Substring(text)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        // All-numeric dotted names that are not IPv4 addresses are mistakes (e.g. 10.0.0.256).
        if labels.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
