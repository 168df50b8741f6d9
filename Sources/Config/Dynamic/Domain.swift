/// A certificate's names: `main` and `sans` (`tls.domains[]`).
public struct Domain: Sendable, Equatable {
    /// The main name (common name).
    public var main: String?
    /// Additional names (subject alternative names); may include wildcards such as `*.example.com`.
    public var sans: [String]?

    /// Nothing set.
    public init() {}

    /// A domain with a main name and optional extra names.
    public init(main: String?, sans: [String]? = nil) {
        self.main = main
        self.sans = sans
    }

    /// ``main`` followed by ``sans``, without empty entries.
    public var allNames: [String] {
        ([main].compactMap { $0 } + (sans ?? [])).filter { !$0.isEmpty }
    }
}

extension Domain: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        main = try m.decode("main")
        sans = try m.decode("sans")
        try m.finish()
    }
}

/// A certificate/key pair, each a path or inline PEM.
public struct CertificatePair: Sendable, Equatable {
    /// The certificate chain (path or inline PEM).
    public var certFile: FileOrContent?
    /// The private key (path or inline PEM).
    public var keyFile: FileOrContent?

    /// Nothing set.
    public init() {}

    /// A pair from two paths or PEM strings.
    public init(certFile: FileOrContent, keyFile: FileOrContent) {
        self.certFile = certFile
        self.keyFile = keyFile
    }
}

extension CertificatePair: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        certFile = try m.decode("certFile")
        keyFile = try m.decode("keyFile")
        try m.finish()
    }
}
