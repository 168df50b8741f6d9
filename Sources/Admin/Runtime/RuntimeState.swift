import Config

/// What the gateway serves, as the admin API sees it: the dynamic configuration of the snapshot
/// in use (disabled items included), the problems that disabled items, and the static parts the
/// API reports (entry points, providers, features).
///
/// Item names in ``configuration`` are bare (`api`); the API shows them with their provider
/// (`api@file`, `expose-app.example@api`: the configuration's ``Config/ItemOrigins``), as
/// Traefik does.
public struct RuntimeState: Sendable {
    /// The build's generation: 1 at start-up, one more per reload.
    public var generation: Int
    /// The dynamic configuration the snapshot was built from.
    public var configuration: DynamicConfiguration
    /// Problems that disabled items, each naming its item.
    public var problems: [ItemProblem]
    /// The static entry points, by name.
    public var entryPoints: [String: EntryPoint]
    /// Entry points of routers that name none.
    public var defaultEntryPoints: [String]
    /// Providers that feed the configuration, as Traefik names them (`File`, `API`).
    public var providers: [String]
    /// Whether the access log is on.
    public var accessLog: Bool
    /// The health of each served HTTP load-balancer server now: `true` when it may be picked,
    /// by qualified service name (`app@file`), then server URL. Services not served are absent.
    public var serverHealth: [String: [String: Bool]]

    /// A state.
    public init(
        generation: Int,
        configuration: DynamicConfiguration,
        problems: [ItemProblem] = [],
        entryPoints: [String: EntryPoint] = [:],
        defaultEntryPoints: [String] = [],
        providers: [String] = [],
        accessLog: Bool = false,
        serverHealth: [String: [String: Bool]] = [:]
    ) {
        self.generation = generation
        self.configuration = configuration
        self.problems = problems
        self.entryPoints = entryPoints
        self.defaultEntryPoints = defaultEntryPoints
        self.providers = providers
        self.accessLog = accessLog
        self.serverHealth = serverHealth
    }
}

/// A configuration item that is disabled, and why.
public struct ItemProblem: Sendable, Hashable {
    /// The kinds of item the API reports a status for.
    public enum Kind: String, Sendable, Hashable {
        /// `http.routers`.
        case httpRouter
        /// `http.services`.
        case httpService
        /// `http.middlewares`.
        case httpMiddleware
        /// `tcp.routers`.
        case tcpRouter
        /// `tcp.services`.
        case tcpService
        /// `tcp.middlewares`.
        case tcpMiddleware
        /// `udp.routers`.
        case udpRouter
        /// `udp.services`.
        case udpService
    }

    /// The kind of item.
    public var kind: Kind
    /// The item's name with its provider (`api@file`).
    public var name: String
    /// What is wrong with it.
    public var message: String

    /// A problem.
    public init(kind: Kind, name: String, message: String) {
        self.kind = kind
        self.name = name
        self.message = message
    }
}
