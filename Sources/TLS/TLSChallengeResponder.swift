import NIOSSL

/// Serves ACME TLS-ALPN-01 challenge certificates (RFC 8737).
///
/// When a ClientHello offers `acme-tls/1` for a name this responder has a context for, the
/// connection is handshaken with that context (the self-signed certificate carrying the
/// critical id-pe-acmeIdentifier extension, ALPN `acme-tls/1`) and closed once the handshake is
/// done; every other connection is unaffected. Called on the event loop for each such
/// connection: it must answer from memory and must not block.
public protocol TLSChallengeResponder: Sendable {
    /// The TLS context presenting the challenge certificate for `serverName` (lower-cased, no
    /// trailing dot), or `nil` when no TLS-ALPN-01 challenge is pending for it.
    func challengeContext(forServerName serverName: String) -> NIOSSLContext?
}

extension TLSServerSettings {
    /// The ALPN protocol name of TLS-ALPN-01 (RFC 8737 §6.2).
    public static let acmeTLSProtocol = "acme-tls/1"

    /// A context presenting a TLS-ALPN-01 challenge certificate: TLS 1.2 or later, the only
    /// ALPN protocol `acme-tls/1` (RFC 8737 §3: the server must negotiate it), no client
    /// certificates.
    public static func makeChallengeContext(for certificate: ServerCertificate) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificate.chain.map { .certificate($0) },
            privateKey: .privateKey(certificate.privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = [acmeTLSProtocol]
        configuration.shutdownTimeout = closeNotifyWait
        return try NIOSSLContext(configuration: configuration)
    }
}
