/// A parsed entry point address such as `:80`, `127.0.0.1:8443`, `[::]:443` or `:5353/udp`.
public struct EntryPointAddress: Sendable, Hashable, CustomStringConvertible {
    /// The protocol an entry point listens with.
    public enum Transport: String, Sendable, Hashable {
        /// TCP (HTTP, HTTPS, TCP routers). The default.
        case tcp
        /// UDP (UDP routers).
        case udp
    }

    /// The host or IP address to bind, without brackets; `nil` for all addresses (`:80`).
    public var host: String?
    /// The port, 0...65535 (0 lets the system choose).
    public var port: Int
    /// TCP unless the address ends in `/udp`.
    public var transport: Transport

    /// Creates an address.
    public init(host: String?, port: Int, transport: Transport = .tcp) {
        self.host = host
        self.port = port
        self.transport = transport
    }

    /// Parses Traefik's `[host]:port[/tcp|/udp]` form. IPv6 hosts must be bracketed.
    ///
    /// - Throws: ``ConfigError`` with kind ``ConfigError/Kind/invalidValue`` and a message saying what is wrong.
    public init(parsing address: String) throws(ConfigError) {
        func fail(_ reason: String) -> ConfigError {
            ConfigError(kind: .invalidValue, keyPath: "address",
                        message: "invalid entry point address \"\(address)\": \(reason) (expected e.g. \":80\", \"127.0.0.1:8443\", \"[::]:443\", \":5353/udp\")")
        }
        var text = address.trimmingWhitespace()
        var transport = Transport.tcp
        if let slash = text.lastIndex(of: "/") {
            let suffix = text[text.index(after: slash)...].lowercased()
            guard let parsed = Transport(rawValue: suffix) else {
                throw fail("unknown protocol \"\(suffix)\", expected tcp or udp")
            }
            transport = parsed
            text = String(text[..<slash])
        }
        guard let colon = text.lastIndex(of: ":") else {
            throw fail("missing port")
        }
        var host = String(text[..<colon])
        let portText = String(text[text.index(after: colon)...])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { throw fail("unbalanced brackets") }
            host = String(host.dropFirst().dropLast())
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." || $0 == "%" }) else {
                throw fail("\"\(host)\" is not an IPv6 address")
            }
        } else {
            if host.contains(":") { throw fail("IPv6 addresses must be in brackets, e.g. \"[::1]:443\"") }
            if host.contains("[") || host.contains("]") { throw fail("unbalanced brackets") }
            if !host.isEmpty && !host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }) {
                throw fail("\"\(host)\" is not a host name or IP address")
            }
        }
        guard !portText.isEmpty else { throw fail("missing port") }
        guard portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber), let port = Int(portText), port <= 65535 else {
            throw fail("port \"\(portText)\" is not a number between 0 and 65535")
        }
        self.init(host: host.isEmpty ? nil : host, port: port, transport: transport)
    }

    /// The address in Traefik's form, e.g. `[::1]:443/udp`; `/tcp` is left out.
    public var description: String {
        var text = ""
        if let host { text = host.contains(":") ? "[\(host)]" : host }
        text += ":\(port)"
        if transport == .udp { text += "/udp" }
        return text
    }
}
