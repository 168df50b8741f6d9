/// A `Host` header value (or URL authority) split into its name and its explicit port, as
/// written: `example.com:8443` → `example.com` and `8443`; `[::1]:80` → `[::1]` and `80`; a name
/// without a port, or a bare IPv6 address (`::1`), has no port.
///
/// One reading for every place that needs the parts: redirects, X-Forwarded-Port, access logs.
public struct HostAndPort: Sendable {
    /// The name, with the brackets of an IPv6 literal kept (`[::1]`).
    public let host: Substring
    /// The port text after the last colon, if the value has one (not checked to be a number).
    public let port: Substring?

    /// Splits `authority`.
    public init(_ authority: String) {
        self.init(authority[...])
    }

    /// Splits `authority`. Byte by byte: this runs for every request, and `contains(":")` on a
    /// substring would be Foundation's string search in this module.
    public init(_ authority: Substring) {
        let bytes = authority.utf8
        let colonByte = UInt8(ascii: ":")
        guard let colon = bytes.lastIndex(of: colonByte),
              // `[::1]` alone: the last colon is inside the brackets.
              !(bytes.lastIndex(of: UInt8(ascii: "]")).map { $0 > colon } ?? false),
              // `::1` without brackets: an address, not a name and a port.
              bytes.first == UInt8(ascii: "[") || !bytes[..<colon].contains(colonByte)
        else {
            self.host = authority
            self.port = nil
            return
        }
        self.host = authority[..<colon]
        self.port = authority[bytes.index(after: colon)...]
    }

    /// The name without the brackets of an IPv6 literal (`::1`).
    public var bareHost: Substring {
        if host.hasPrefix("["), host.hasSuffix("]"), host.count >= 2 {
            return host.dropFirst().dropLast()
        }
        return host
    }

    /// The port as a number, when there is one and it is a number.
    public var portNumber: Int? {
        port.flatMap { Int($0) }
    }
}
