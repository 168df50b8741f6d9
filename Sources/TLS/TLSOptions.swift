import NIOSSL

/// One TLS options set as served: the settings server contexts are made with, and whether a
/// connection whose server name matches no certificate is refused (`sniStrict`).
public struct TLSOptions: Sendable, Hashable {
    /// The parameters of the TLS contexts made with these options.
    public var settings: TLSServerSettings
    /// Refuse a connection (close it, no handshake) whose SNI matches no certificate, or which
    /// sends no SNI, instead of serving the default certificate. Default: false.
    public var sniStrict: Bool

    /// Options made of `settings`, not strict about SNI unless told.
    public init(settings: TLSServerSettings = TLSServerSettings(), sniStrict: Bool = false) {
        self.settings = settings
        self.sniStrict = sniStrict
    }

    /// What connections get when neither a router nor `tls.options.default` says otherwise:
    /// the modern profile of ``TLSServerSettings/init(minimumVersion:maximumVersion:cipherSuites:curves:applicationProtocols:clientAuthentication:)``,
    /// not strict about SNI.
    public static let builtInDefault = TLSOptions()
}

extension TLSOptions {
    /// Translates a Traefik `tls.options.<name>` entry, as Traefik reads it:
    ///
    /// - `minVersion`, `maxVersion`: Go's `VersionTLS10` … `VersionTLS13`; defaults TLS 1.2 and
    ///   TLS 1.3.
    /// - `cipherSuites`: Go suite names for TLS 1.0–1.2, in preference order; TLS 1.3 names and
    ///   suites BoringSSL no longer has (RC4, 3DES, CBC-SHA256) are accepted and skipped. Absent
    ///   or empty: ``TLSServerSettings/modernCipherSuites``.
    /// - `curvePreferences`: `CurveP256`, `CurveP384`, `CurveP521`, `X25519`, `X25519MLKEM768`
    ///   and the aliases `secp256r1`, `secp384r1`, `secp521r1`, `x25519`.
    /// - `alpnProtocols`: absent means `h2`, `http/1.1`; `acme-tls/1` is dropped (TLS-ALPN-01
    ///   challenges are answered before these options apply).
    /// - `clientAuth.clientAuthType` with Go's meaning: `NoClientCert` (default),
    ///   `RequestClientCert` (ask, accept anything), `RequireAnyClientCert` (require one, do
    ///   not verify), `VerifyClientCertIfGiven`, `RequireAndVerifyClientCert`; the last two
    ///   need `clientAuth.caFiles`.
    ///
    /// - Throws: ``TLSOptionsError`` naming the first key that is wrong (under
    ///   `tls.options.<name>`).
    public init(_ definition: TLSOptionsDefinition) throws(TLSOptionsError) {
        let prefix = "tls.options.\(definition.name)"
        func version(_ key: String, _ value: String?, default fallback: TLSVersion) throws(TLSOptionsError) -> TLSVersion {
            guard let value else { return fallback }
            guard let version = GoTLSNames.versions[value] else {
                throw TLSOptionsError(keyPath: "\(prefix).\(key)", message: "unknown TLS version \"\(value)\"; expected VersionTLS10, VersionTLS11, VersionTLS12 or VersionTLS13")
            }
            return version
        }
        var settings = TLSServerSettings()
        settings.minimumVersion = try version("minVersion", definition.minVersion, default: .tlsv12)
        settings.maximumVersion = try version("maxVersion", definition.maxVersion, default: .tlsv13)

        if let names = definition.cipherSuites, !names.isEmpty {
            var suites: [NIOTLSCipher] = []
            for (i, name) in names.enumerated() {
                if let suite = GoTLSNames.cipherSuites[name] {
                    if !suites.contains(suite) { suites.append(suite) }
                } else if !GoTLSNames.ignoredCipherSuites.contains(name) {
                    throw TLSOptionsError(keyPath: "\(prefix).cipherSuites[\(i)]", message: "unknown cipher suite \"\(name)\"")
                }
            }
            if suites.isEmpty {
                if settings.minimumVersion == .tlsv13 {
                    // Only TLS 1.3 suites listed and only TLS 1.3 allowed: BoringSSL still wants
                    // a TLS 1.2 list, which is never used.
                    suites = TLSServerSettings.modernCipherSuites
                } else {
                    throw TLSOptionsError(keyPath: "\(prefix).cipherSuites", message: "no listed suite is available for TLS 1.2 and below here (TLS 1.3 suites, RC4, 3DES and CBC-SHA256 suites are skipped)")
                }
            }
            settings.cipherSuites = suites
        }

        if let names = definition.curvePreferences, !names.isEmpty {
            var curves: [NIOTLSCurve] = []
            for (i, name) in names.enumerated() {
                guard let curve = GoTLSNames.curves[name] else {
                    throw TLSOptionsError(keyPath: "\(prefix).curvePreferences[\(i)]", message: "unknown curve \"\(name)\"; expected CurveP256, CurveP384, CurveP521, X25519 or X25519MLKEM768")
                }
                if !curves.contains(curve) { curves.append(curve) }
            }
            settings.curves = curves
        }

        if let protocols = definition.alpnProtocols {
            settings.applicationProtocols = protocols.filter { $0 != TLSServerSettings.acmeTLSProtocol }
        }

        var roots: [NIOSSLCertificate] = []
        for (i, pem) in definition.caCertificates.enumerated() {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMBytes(pem)
            } catch {
                throw TLSOptionsError(keyPath: "\(prefix).clientAuth.caFiles[\(i)]", message: "not PEM certificates: \(error)")
            }
            guard !certificates.isEmpty else {
                throw TLSOptionsError(keyPath: "\(prefix).clientAuth.caFiles[\(i)]", message: "holds no PEM certificate")
            }
            roots += certificates
        }
        let authKey = "\(prefix).clientAuth.clientAuthType"
        switch definition.clientAuthType ?? "NoClientCert" {
        case "NoClientCert":
            settings.clientAuthentication = .none
        case "RequestClientCert":
            settings.clientAuthentication = .request(trustRoots: roots)
        case "RequireAnyClientCert":
            settings.clientAuthentication = .requireAny(trustRoots: roots)
        case "VerifyClientCertIfGiven", "RequireAndVerifyClientCert":
            guard !roots.isEmpty else {
                throw TLSOptionsError(keyPath: authKey, message: "\(definition.clientAuthType!) needs clientAuth.caFiles to verify client certificates against")
            }
            settings.clientAuthentication = definition.clientAuthType == "VerifyClientCertIfGiven"
                ? .verifyIfGiven(trustRoots: roots) : .require(trustRoots: roots)
        case let other:
            throw TLSOptionsError(keyPath: authKey, message: "unknown clientAuthType \"\(other)\"; expected NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert")
        }

        do {
            try settings.validate()
        } catch {
            throw TLSOptionsError(keyPath: prefix, message: error.message)
        }
        self.init(settings: settings, sniStrict: definition.sniStrict ?? false)
    }
}
