import NIOCore
import NIOSSL

/// The TLS parameters every server context is made with; one value per TLS options set.
///
/// The defaults are a modern profile: TLS 1.2 and 1.3 only; for TLS 1.2 only forward-secret
/// AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305); TLS 1.3 suites are BoringSSL's fixed
/// set (AES-GCM and ChaCha20-Poly1305); ALPN offers `h2` then `http/1.1`; no client
/// certificates.
///
/// Fields map one to one onto `NIOSSL.TLSConfiguration` in
/// ``makeConfiguration(for:)``; Traefik `tls.options` are translated into this struct by
/// ``TLSOptions/init(_:)``.
public struct TLSServerSettings: Sendable, Hashable {
    /// How long a closing TLS connection waits for the peer's close_notify before the socket is
    /// closed anyway: 100 ms. NIOSSL's default (5 s) keeps every closed connection's buffers
    /// (about 48 KiB) alive that long when the peer just drops the socket, which most clients
    /// do; Go's TLS stack (Traefik) and nginx do not wait at all.
    public static let closeNotifyWait: TimeAmount = .milliseconds(100)

    /// Lowest protocol version accepted. Default: TLS 1.2.
    public var minimumVersion: TLSVersion
    /// Highest protocol version accepted. Default: TLS 1.3.
    public var maximumVersion: TLSVersion
    /// TLS 1.2 cipher suites, in server preference order. Default: ``modernCipherSuites``.
    /// TLS 1.3 suites cannot be configured (BoringSSL); values not in ``knownTLS12CipherSuites``
    /// are ignored.
    public var cipherSuites: [NIOTLSCipher]
    /// Key exchange groups, in preference order; `nil` keeps BoringSSL's defaults (X25519,
    /// P-256, P-384). Default: `nil`.
    public var curves: [NIOTLSCurve]?
    /// ALPN protocols the server is willing to speak, in preference order. Default:
    /// `["h2", "http/1.1"]`; an entry point that serves only HTTP/1.1 passes `["http/1.1"]`.
    public var applicationProtocols: [String]
    /// Whether, and against which roots, client certificates are checked. Default: ``ClientAuthentication/none``.
    public var clientAuthentication: ClientAuthentication

    /// ECDHE with AES-GCM and ChaCha20-Poly1305, ECDSA before RSA, 128-bit before 256-bit (the
    /// Mozilla "intermediate" TLS 1.2 list).
    public static let modernCipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// Every TLS 1.2 suite NIOSSL names (BoringSSL knows them all). Suites outside this set are
    /// ignored by ``makeConfiguration(for:)``; if none is left, ``validate()`` fails.
    public static let knownTLS12CipherSuites: Set<NIOTLSCipher> = [
        .TLS_RSA_WITH_AES_128_CBC_SHA,
        .TLS_RSA_WITH_AES_256_CBC_SHA,
        .TLS_PSK_WITH_AES_128_CBC_SHA,
        .TLS_PSK_WITH_AES_256_CBC_SHA,
        .TLS_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        .TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        .TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        .TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA,
        .TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA,
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// The default ALPN list: HTTP/2 preferred, HTTP/1.1 accepted.
    public static let defaultApplicationProtocols = ["h2", "http/1.1"]

    public init(
        minimumVersion: TLSVersion = .tlsv12,
        maximumVersion: TLSVersion = .tlsv13,
        cipherSuites: [NIOTLSCipher] = TLSServerSettings.modernCipherSuites,
        curves: [NIOTLSCurve]? = nil,
        applicationProtocols: [String] = TLSServerSettings.defaultApplicationProtocols,
        clientAuthentication: ClientAuthentication = .none
    ) {
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.cipherSuites = cipherSuites
        self.curves = curves
        self.applicationProtocols = applicationProtocols
        self.clientAuthentication = clientAuthentication
    }

    /// The server configuration for `certificate` with these settings.
    ///
    /// - Throws: ``TLSSettingsError`` when ``validate()`` fails. The check cannot be left to
    ///   the caller: NIOSSL stops the process rather than throwing on some of those values,
    ///   either here (an ALPN name that is not ASCII or is longer than 255 bytes, when it is
    ///   assigned to `applicationProtocols`) or later in `NIOSSLContext(configuration:)` (an
    ///   empty cipher list fails a precondition).
    public func makeConfiguration(for certificate: ServerCertificate) throws(TLSSettingsError) -> TLSConfiguration {
        try self.validate()
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificate.chain.map { .certificate($0) },
            privateKey: .privateKey(certificate.privateKey)
        )
        configuration.minimumTLSVersion = self.minimumVersion
        configuration.maximumTLSVersion = self.maximumVersion
        // NIOSSL crashes on a suite BoringSSL does not know, so only known values are passed on.
        configuration.cipherSuiteValues = self.cipherSuites.filter(Self.knownTLS12CipherSuites.contains)
        configuration.curves = self.curves
        configuration.applicationProtocols = self.applicationProtocols
        configuration.shutdownTimeout = Self.closeNotifyWait
        self.clientAuthentication.apply(to: &configuration)
        return configuration
    }

    /// A server context for `certificate` with these settings (about 9 µs; share it between
    /// connections).
    ///
    /// - Throws: ``TLSSettingsError`` when ``validate()`` fails; NIOSSL's error when BoringSSL
    ///   refuses the material or the settings (e.g. an unknown curve).
    public func makeContext(for certificate: ServerCertificate) throws -> NIOSSLContext {
        try NIOSSLContext(configuration: self.makeConfiguration(for: certificate))
    }

    /// Checks what NIOSSL would otherwise stop the process on, and what can never handshake.
    ///
    /// - Throws: ``TLSSettingsError`` when the minimum version is above the maximum, no known
    ///   TLS 1.2 suite is left (BoringSSL needs one even when only TLS 1.3 is allowed), or an
    ///   ALPN name is empty, longer than 255 bytes or not ASCII.
    public func validate() throws(TLSSettingsError) {
        guard Self.rank(self.minimumVersion) <= Self.rank(self.maximumVersion) else {
            throw TLSSettingsError("minimumVersion \(self.minimumVersion) is above maximumVersion \(self.maximumVersion)")
        }
        // BoringSSL needs a non-empty TLS 1.2 list even when only TLS 1.3 is allowed.
        guard self.cipherSuites.contains(where: Self.knownTLS12CipherSuites.contains) else {
            throw TLSSettingsError(
                "cipherSuites holds no known TLS 1.2 suite (got \(self.cipherSuites.map { "0x" + String($0.rawValue, radix: 16) }))"
            )
        }
        for name in self.applicationProtocols {
            guard (1...255).contains(name.utf8.count), name.utf8.allSatisfy({ $0 < 0x80 }) else {
                throw TLSSettingsError("applicationProtocols entry \(String(reflecting: name)) must be 1 to 255 ASCII bytes")
            }
        }
    }

    private static func rank(_ version: TLSVersion) -> Int {
        switch version {
        case .tlsv1: return 10
        case .tlsv11: return 11
        case .tlsv12: return 12
        case .tlsv13: return 13
        }
    }
}

extension TLSServerSettings {
    /// Client certificate checking (mutual TLS).
    public struct ClientAuthentication: Sendable, Hashable {
        private enum Mode: Hashable, Sendable {
            case none
            case request
            case requireAny
            case verifyIfGiven
            case require
        }

        private let mode: Mode
        /// The certificates client certificates must chain to; empty for ``none``.
        public let trustRoots: [NIOSSLCertificate]

        private init(mode: Mode, trustRoots: [NIOSSLCertificate]) {
            self.mode = mode
            self.trustRoots = trustRoots
        }

        /// No client certificate is requested.
        public static let none = ClientAuthentication(mode: .none, trustRoots: [])

        /// A client certificate is requested but not required, and whatever is sent is accepted
        /// without verification (Go's `RequestClientCert`). `trustRoots`, if any, are only sent
        /// to the client as the list of acceptable issuers.
        public static func request(trustRoots: [NIOSSLCertificate] = []) -> ClientAuthentication {
            ClientAuthentication(mode: .request, trustRoots: trustRoots)
        }

        /// A client certificate is required, but it is accepted without verification (Go's
        /// `RequireAnyClientCert`). `trustRoots`, if any, are only sent as acceptable issuers.
        public static func requireAny(trustRoots: [NIOSSLCertificate] = []) -> ClientAuthentication {
            ClientAuthentication(mode: .requireAny, trustRoots: trustRoots)
        }

        /// Whether the handshake must accept any client certificate without verifying it: the
        /// server handler then needs a verification callback that accepts everything (NIOSSL
        /// has no context-level switch for that).
        public var acceptsUnverifiedCertificates: Bool {
            self.mode == .request || self.mode == .requireAny
        }

        /// A client certificate is requested; if one is sent it must chain to `trustRoots`.
        public static func verifyIfGiven(trustRoots: [NIOSSLCertificate]) -> ClientAuthentication {
            ClientAuthentication(mode: .verifyIfGiven, trustRoots: trustRoots)
        }

        /// A client certificate chaining to `trustRoots` is required.
        public static func require(trustRoots: [NIOSSLCertificate]) -> ClientAuthentication {
            ClientAuthentication(mode: .require, trustRoots: trustRoots)
        }

        func apply(to configuration: inout TLSConfiguration) {
            switch self.mode {
            case .none:
                configuration.certificateVerification = .none
            case .request:
                configuration.certificateVerification = .optionalVerification
                configuration.trustRoots = .certificates(self.trustRoots)
                configuration.sendCANameList = !self.trustRoots.isEmpty
            case .requireAny:
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .certificates(self.trustRoots)
                configuration.sendCANameList = !self.trustRoots.isEmpty
            case .verifyIfGiven:
                configuration.certificateVerification = .optionalVerification
                configuration.trustRoots = .certificates(self.trustRoots)
                configuration.sendCANameList = true
            case .require:
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .certificates(self.trustRoots)
                configuration.sendCANameList = true
            }
        }
    }
}
