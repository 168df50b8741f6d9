/// `providers`: where dynamic configuration comes from. Gatehouse reads the file provider;
/// Traefik's other providers are rejected with an ``ConfigError/Kind/unsupported`` error.
public struct Providers: Sendable, Equatable {
    /// The file provider.
    public var file: FileProvider?
    /// How long to wait after a provider's change before applying the next one. Default 2s.
    public var providersThrottleDuration: ConfigDuration?

    /// Nothing set.
    public init() {}

    /// Traefik's default throttle.
    public static let defaultProvidersThrottleDuration = ConfigDuration.seconds(2)
    /// ``providersThrottleDuration`` or 2s.
    public var effectiveProvidersThrottleDuration: ConfigDuration {
        providersThrottleDuration ?? Self.defaultProvidersThrottleDuration
    }

    /// `providers.file`: one file or a directory of `*.yml`, `*.yaml`, `*.toml` files.
    public struct FileProvider: Sendable, Equatable {
        /// A single dynamic configuration file. Exclusive with ``directory``.
        public var filename: String?
        /// A directory of dynamic configuration files. Exclusive with ``filename``.
        public var directory: String?
        /// Whether to reload on change. Default true.
        public var watch: Bool?
        /// Whether to log the configuration generated from Go templates (templates are not supported).
        public var debugLogGeneratedTemplate: Bool?

        /// Nothing set.
        public init() {}

        /// ``watch`` or true.
        public var effectiveWatch: Bool { watch ?? true }
    }
}

extension Providers: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        file = try m.decode("file")
        providersThrottleDuration = try m.decode("providersThrottleDuration")
        m.unsupported(
            ["docker", "swarm", "kubernetesIngress", "kubernetesCRD", "kubernetesGateway", "kubernetesIngressNGINX",
             "consulCatalog", "nomad", "ecs", "consul", "etcd", "zooKeeper", "redis", "http", "plugin", "rest"],
            reason: "Gatehouse reads dynamic configuration from the file provider only"
        )
        try m.finish()
    }
}

extension Providers.FileProvider: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        filename = try m.decode("filename")
        directory = try m.decode("directory")
        watch = try m.decode("watch")
        debugLogGeneratedTemplate = try m.decode("debugLogGeneratedTemplate")
        try m.finish()
        if filename != nil && directory != nil {
            throw reader.error(.invalidValue, "\"filename\" and \"directory\" cannot both be set")
        }
    }
}
