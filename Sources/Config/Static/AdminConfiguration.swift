/// `admin` (a Gatehouse key; Traefik has none): the admin API's own listener.
///
/// The admin API (tokens with scopes, the OpenAPI document, `/ping`, Traefik's read-only API)
/// runs when this section is present, even as `admin: {}`. It listens on loopback by default:
/// exposing it further is a deliberate choice of ``address``.
///
/// ```yaml
/// admin:
///   address: "127.0.0.1:8081"      # or "unix:/run/gatehouse/admin.sock"
/// ```
public struct AdminConfiguration: Sendable, Equatable {
    /// Where the admin API listens: `host:port` (`127.0.0.1:8081`, `[::1]:8081`) or
    /// `unix:/absolute/path` for a unix domain socket. Default `127.0.0.1:8081`.
    public var address: String?
    /// Changes made through the API wait for a second token's approval before they apply.
    /// Default false. (Read now; the approval flow comes with the expose operation.)
    public var requireApproval: Bool?
    /// With ``requireApproval``: the token that requested a change cannot approve it.
    /// Default false.
    public var fourEyes: Bool?

    /// Nothing set.
    public init() {}

    /// The default listen address: loopback only.
    public static let defaultAddress = "127.0.0.1:8081"

    /// ``address`` or `127.0.0.1:8081`.
    public var effectiveAddress: String { address ?? Self.defaultAddress }
    /// ``requireApproval`` or false.
    public var effectiveRequireApproval: Bool { requireApproval ?? false }
    /// ``fourEyes`` or false.
    public var effectiveFourEyes: Bool { fourEyes ?? false }

    /// ``effectiveAddress``, parsed.
    ///
    /// - Throws: ``ConfigError`` (``ConfigError/Kind/invalidValue``) saying what is wrong.
    public var listenAddress: AdminListenAddress {
        get throws(ConfigError) { try AdminListenAddress(parsing: effectiveAddress) }
    }
}

/// Where the admin API listens: a TCP host and port, or a unix domain socket.
public enum AdminListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A TCP listener; `port` 0 lets the system choose.
    case tcp(host: String, port: Int)
    /// A unix domain socket at an absolute path.
    case unix(path: String)

    /// Parses `host:port`, `[ipv6]:port` or `unix:/absolute/path`. The host is required: the
    /// admin API never listens on every address by omission.
    ///
    /// - Throws: ``ConfigError`` (``ConfigError/Kind/invalidValue``) saying what is wrong.
    public init(parsing text: String) throws(ConfigError) {
        func fail(_ reason: String) -> ConfigError {
            ConfigError(kind: .invalidValue, keyPath: "admin.address",
                        message: "invalid admin address \"\(text)\": \(reason) (expected e.g. \"127.0.0.1:8081\", \"[::1]:8081\" or \"unix:/run/gatehouse/admin.sock\")")
        }
        let trimmed = text.trimmingWhitespace()
        if trimmed.lowercased().hasPrefix("unix:") {
            let path = String(trimmed.dropFirst(5))
            guard path.hasPrefix("/") else { throw fail("the socket path must be absolute") }
            guard path.count > 1, !path.hasSuffix("/") else { throw fail("the socket path names no file") }
            self = .unix(path: path)
            return
        }
        let parsed: EntryPointAddress
        do {
            parsed = try EntryPointAddress(parsing: trimmed)
        } catch {
            throw fail("not a host:port address or a port above 65535")
        }
        guard parsed.transport == .tcp, !trimmed.lowercased().hasSuffix("/tcp") else {
            throw fail("a protocol suffix is not allowed")
        }
        guard let host = parsed.host else {
            throw fail("a host is required (\"127.0.0.1:\(parsed.port)\" for loopback, \"0.0.0.0:\(parsed.port)\" to listen everywhere)")
        }
        self = .tcp(host: host, port: parsed.port)
    }

    /// `host:port` (IPv6 bracketed) or `unix:/path`.
    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

extension AdminConfiguration: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        address = try m.decode("address")
        requireApproval = try m.decode("requireApproval")
        fourEyes = try m.decode("fourEyes")
        if let address, let child = m.child("address") {
            do {
                _ = try AdminListenAddress(parsing: address)
            } catch {
                throw child.error(.invalidValue, error.message)
            }
        }
        try m.finish()
    }
}
