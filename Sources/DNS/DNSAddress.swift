import NIOCore

/// An IP address and port for the DNS server to listen on or a resolver to ask.
///
/// Written as `host:port` with the host an IP literal: `127.0.0.1:5353`, `[::1]:53`; a bare
/// address takes the default port (`192.0.2.1`, `::1`); an empty host (`:53`) means every
/// interface, which only a listening address can use. Port 0 asks the system for a free port.
public struct DNSAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IP address as written, without brackets; `nil` for every interface.
    public var host: String?
    /// The port, 0…65535.
    public var port: Int

    /// - Parameter host: an IP literal, or `nil` for every interface. Not checked here; see
    ///   ``socketAddress()``.
    public init(host: String?, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port`, `:port` or a bare IP address.
    /// - Throws: ``DNSAddressError`` naming the text when the port is not a number in
    ///   0…65535 or the host is not an IP address.
    public init(parsing text: String, defaultPort: Int = 53) throws(DNSAddressError) {
        let trimmed = text.trimmingSpaces
        var host: Substring
        var port = defaultPort
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { throw DNSAddressError(text: text, reason: .badHost) }
            host = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { throw DNSAddressError(text: text, reason: .badHost) }
                port = try Self.parsePort(rest.dropFirst(), text: text)
            }
        } else if trimmed.filter({ $0 == ":" }).count > 1 {
            host = trimmed[...]  // a bare IPv6 address
        } else if let colon = trimmed.firstIndex(of: ":") {
            host = trimmed[..<colon]
            port = try Self.parsePort(trimmed[trimmed.index(after: colon)...], text: text)
        } else {
            host = trimmed[...]
        }
        guard (0...65_535).contains(port) else { throw DNSAddressError(text: text, reason: .badPort) }
        if host.isEmpty {
            self.init(host: nil, port: port)
            return
        }
        guard (try? SocketAddress(ipAddress: String(host), port: port)) != nil else {
            throw DNSAddressError(text: text, reason: .badHost)
        }
        self.init(host: String(host), port: port)
    }

    /// The socket address for a host given as an IP literal.
    /// - Throws: ``DNSAddressError`` when the host is missing or not an IP literal.
    public func socketAddress() throws(DNSAddressError) -> SocketAddress {
        guard let host = self.host else { throw DNSAddressError(text: self.description, reason: .noHost) }
        do {
            return try SocketAddress(ipAddress: host, port: self.port)
        } catch {
            throw DNSAddressError(text: self.description, reason: .badHost)
        }
    }

    /// `host:port`, with brackets around an IPv6 host and nothing before the colon for every
    /// interface.
    public var description: String {
        guard let host = self.host else { return ":\(self.port)" }
        return host.contains(":") ? "[\(host)]:\(self.port)" : "\(host):\(self.port)"
    }

    private static func parsePort(_ digits: Substring, text whole: String) throws(DNSAddressError) -> Int {
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(digits),
            port <= 65_535
        else { throw DNSAddressError(text: whole, reason: .badPort) }
        return port
    }
}

extension SocketAddress {
    /// The address as a ``DNSAddress``, for messages and results.
    var dnsAddress: DNSAddress {
        DNSAddress(host: self.ipAddress, port: self.port ?? 0)
    }
}

extension String {
    var trimmingSpaces: Substring {
        var text = self[...]
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
