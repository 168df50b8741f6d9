/// The kind of a named configuration item, e.g. an HTTP router.
///
/// A struct with static members rather than an enum, so new kinds can be added
/// without breaking callers.
public struct ConfigItemKind: Sendable, Hashable, CustomStringConvertible {
    /// A short human-readable name, e.g. `http router`.
    public let rawValue: String
    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// An item of `http router` kind.
    public static let httpRouter = ConfigItemKind("http router")
    /// An item of `http service` kind.
    public static let httpService = ConfigItemKind("http service")
    /// An item of `http middleware` kind.
    public static let httpMiddleware = ConfigItemKind("http middleware")
    /// An item of `http serversTransport` kind.
    public static let httpServersTransport = ConfigItemKind("http serversTransport")
    /// An item of `tcp router` kind.
    public static let tcpRouter = ConfigItemKind("tcp router")
    /// An item of `tcp service` kind.
    public static let tcpService = ConfigItemKind("tcp service")
    /// An item of `tcp middleware` kind.
    public static let tcpMiddleware = ConfigItemKind("tcp middleware")
    /// An item of `tcp serversTransport` kind.
    public static let tcpServersTransport = ConfigItemKind("tcp serversTransport")
    /// An item of `udp router` kind.
    public static let udpRouter = ConfigItemKind("udp router")
    /// An item of `udp service` kind.
    public static let udpService = ConfigItemKind("udp service")
    /// An item of `tls options` kind.
    public static let tlsOptions = ConfigItemKind("tls options")
    /// An item of `tls store` kind.
    public static let tlsStore = ConfigItemKind("tls store")
    /// An item of `tls certificate` kind.
    public static let tlsCertificate = ConfigItemKind("tls certificate")
    /// An item of `entry point` kind.
    public static let entryPoint = ConfigItemKind("entry point")
    /// An item of `certificates resolver` kind.
    public static let certificatesResolver = ConfigItemKind("certificates resolver")
    /// The built-in DNS server (`dnsServer`).
    public static let dnsServer = ConfigItemKind("DNS server")
    /// An item of `provider` kind.
    public static let provider = ConfigItemKind("provider")

    public var description: String { rawValue }
}

/// One named item of a configuration: its kind and its name (e.g. router `api`).
///
/// The runtime uses this to disable exactly the item an issue is about.
public struct ConfigItem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of item this is.
    public var kind: ConfigItemKind
    /// The item's name as written in the configuration (for TLS certificates, the index).
    public var name: String

    /// Creates an item reference.
    public init(kind: ConfigItemKind, name: String) {
        self.kind = kind
        self.name = name
    }

    public var description: String { "\(kind) \"\(name)\"" }
}

/// A problem with one item of an otherwise usable configuration.
///
/// Unlike ``ConfigError``, which makes a whole file unusable, an issue names the
/// item it affects so that only that item is disabled (Traefik's "errors per
/// item" model). Produced by ``DynamicConfiguration/validate(entryPointNames:serversTransportNames:certResolverNames:)``
/// and by ``ConfigLoader/loadDynamic(directory:)`` for names defined twice.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    /// How serious an issue is.
    public enum Severity: String, Sendable, Hashable {
        /// The item cannot work and should be disabled.
        case error
        /// The item works, but probably not as intended.
        case warning
    }

    /// How serious the issue is.
    public var severity: Severity
    /// The item the issue is about, when it is about one item.
    public var item: ConfigItem?
    /// The full key path of the offending value, e.g. `http.routers.api.service`.
    public var keyPath: String
    /// A human-readable message, e.g. `unknown service "foo"`.
    public var message: String
    /// The files involved, when known (two or more for duplicate definitions).
    public var files: [String]

    /// Creates an issue.
    public init(
        severity: Severity = .error,
        item: ConfigItem?,
        keyPath: String,
        message: String,
        files: [String] = []
    ) {
        self.severity = severity
        self.item = item
        self.keyPath = keyPath
        self.message = message
        self.files = files
    }

    /// `error: http router "api": unknown service "foo" at http.routers.api.service`
    public var description: String {
        var text = "\(severity.rawValue): "
        if let item { text += "\(item): " }
        text += message
        if !keyPath.isEmpty { text += " at \(keyPath)" }
        if !files.isEmpty { text += " (\(files.count == 1 ? "file" : "files") \(files.joined(separator: ", ")))" }
        return text
    }
}
