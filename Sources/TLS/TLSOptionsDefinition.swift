/// A `tls.options.<name>` entry as written in a Traefik configuration, with the CA files
/// already read; ``TLSOptions/init(_:)`` translates it.
public struct TLSOptionsDefinition: Sendable, Hashable {
    /// The options' name (the `<name>` of `tls.options.<name>`), for error key paths.
    public var name: String
    /// `minVersion`: `VersionTLS10` … `VersionTLS13`.
    public var minVersion: String?
    /// `maxVersion`: `VersionTLS10` … `VersionTLS13`.
    public var maxVersion: String?
    /// `cipherSuites`: Go suite names.
    public var cipherSuites: [String]?
    /// `curvePreferences`: Go curve names.
    public var curvePreferences: [String]?
    /// `alpnProtocols`.
    public var alpnProtocols: [String]?
    /// `sniStrict`.
    public var sniStrict: Bool?
    /// `clientAuth.clientAuthType`.
    public var clientAuthType: String?
    /// The content of each `clientAuth.caFiles` entry (PEM), in order.
    public var caCertificates: [[UInt8]]

    /// A definition named `name` with nothing else set.
    public init(
        name: String,
        minVersion: String? = nil,
        maxVersion: String? = nil,
        cipherSuites: [String]? = nil,
        curvePreferences: [String]? = nil,
        alpnProtocols: [String]? = nil,
        sniStrict: Bool? = nil,
        clientAuthType: String? = nil,
        caCertificates: [[UInt8]] = []
    ) {
        self.name = name
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.cipherSuites = cipherSuites
        self.curvePreferences = curvePreferences
        self.alpnProtocols = alpnProtocols
        self.sniStrict = sniStrict
        self.clientAuthType = clientAuthType
        self.caCertificates = caCertificates
    }
}
