import Config
import Storage

/// What the expose operations need from the running gateway, implemented by the gateway (the
/// Admin target knows nothing of the runtime): its settings, the file provider's configuration
/// for clash checks, and a way to serve the stored routes.
public protocol ExposeControl: Sendable {
    /// The gateway's settings for expose requests.
    var settings: ExposeSettings { get }

    /// The file provider's configuration in use (routers and services the API must not clash with).
    func fileConfiguration() async -> DynamicConfiguration

    /// Serves `routes` (the stored API routes, prepared and active): returns once the merged
    /// configuration is built and swapped in, and prepared routes' certificates are demanded.
    func routesChanged(_ routes: [StoredRoute]) async

    /// Forgets the certificate record `id`, never issued, that an operation asked for and then
    /// gave up on (rollback): nothing half-made stays.
    func discardCertificate(id: String) async
}

/// The static settings that shape expose requests.
public struct ExposeSettings: Sendable {
    /// `gateway.domain`: name proxies are `<name>.<domain>`; `nil` when unset.
    public var gatewayDomain: String?
    /// The resolver used when a request names none; `nil` when there is no default.
    public var defaultResolver: String?
    /// The configured resolvers and the challenge types each can solve (`http-01`,
    /// `tls-alpn-01`, `dns-01`).
    public var resolvers: [String: [String]]
    /// The names of the entry points.
    public var entryPoints: [String]
    /// `admin.requireApproval`.
    public var requireApproval: Bool
    /// `admin.fourEyes`.
    public var fourEyes: Bool
    /// How long an operation waits for its certificate. Default 120 s.
    public var certificateTimeout: Duration
    /// How often it looks at the certificate while waiting. Default 200 ms.
    public var pollInterval: Duration

    /// - Parameters: see the properties.
    public init(
        gatewayDomain: String? = nil, defaultResolver: String? = nil, resolvers: [String: [String]] = [:],
        entryPoints: [String] = ["web", "websecure"], requireApproval: Bool = false, fourEyes: Bool = false,
        certificateTimeout: Duration = .seconds(120), pollInterval: Duration = .milliseconds(200)
    ) {
        self.gatewayDomain = gatewayDomain
        self.defaultResolver = defaultResolver
        self.resolvers = resolvers
        self.entryPoints = entryPoints
        self.requireApproval = requireApproval
        self.fourEyes = fourEyes
        self.certificateTimeout = certificateTimeout
        self.pollInterval = pollInterval
    }
}
