import Foundation
import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS
import TLS
import Testing
import X509

/// The outcome of one in-memory connection: client ↔ sniffer → NIOSSL server.
@dynamicMemberLookup
private struct Connection {
    var sniffed: SniffResult?
    var outcome: HandshakeOutcome

    subscript<Value>(dynamicMember keyPath: KeyPath<HandshakeOutcome, Value>) -> Value {
        outcome[keyPath: keyPath]
    }
}

private func connect(
    index: CertificateIndex,
    serverHostname: String?,
    configure: (inout TLSConfiguration) -> Void = { _ in },
    send: [UInt8] = []
) throws -> Connection {
    var sniffed: SniffResult? = nil
    let outcome = try driveHandshake(serverHostname: serverHostname, configure: configure, send: send) { server, observer in
        try server.pipeline.syncOperations.addHandler(
            ProtocolSniffer(timeout: .seconds(10)) { result, channel in
                sniffed = result
                guard case .tls(let hello) = result else {
                    return channel.eventLoop.makeFailedFuture(TestSupportError(description: "not TLS"))
                }
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLServerHandler(context: index.sslContext(forServerName: hello.serverName)))
                    try sync.addHandler(observer)
                }
            }
        )
    }
    return Connection(sniffed: sniffed, outcome: outcome)
}

@Suite("TLS handshake through the sniffer and the index")
struct HandshakeTests {
    /// Issues every certificate below, so that a fully verifying client can trust it.
    let ca: TestCA
    let apex: ServerCertificate
    let wildcard: ServerCertificate
    let rsa: ServerCertificate
    let storeDefault: ServerCertificate
    let index: CertificateIndex

    init() throws {
        self.ca = try TestCA()
        self.apex = try makeServerCertificate(["example.com", "www.example.com"], issuer: ca)
        self.wildcard = try makeServerCertificate(["*.example.com"], issuer: ca)
        self.rsa = try makeServerCertificate(["rsa.test"], key: .rsa2048, issuer: ca)
        self.storeDefault = try makeServerCertificate(["default.test"], issuer: ca)
        self.index = CertificateIndex(certificates: [apex, wildcard, rsa], defaultCertificate: storeDefault)
    }

    @Test(
        "the client receives the certificate for its SNI",
        arguments: [
            ("www.example.com", "apex"), ("example.com", "apex"), ("shop.example.com", "wildcard"),
            ("rsa.test", "rsa"), ("unknown.test", "default"),
        ]
    )
    func certificateForSNI(_ serverName: String, _ expected: String) throws {
        let expectedCertificate = ["apex": apex, "wildcard": wildcard, "rsa": rsa, "default": storeDefault][expected]!
        let connection = try connect(index: index, serverHostname: serverName, send: Array("hello".utf8))
        #expect(connection.errors.isEmpty, "\(connection.errors)")
        #expect(connection.sniffed == .tls(ClientHello(serverName: serverName, alpnProtocols: ["h2", "http/1.1"])))
        #expect(connection.clientCompleted && connection.serverCompleted)
        #expect(connection.peerCertificate == expectedCertificate.chain[0])
        #expect(connection.tlsVersion == .tlsv13)
        #expect(connection.negotiatedProtocol == "h2")
        #expect(connection.serverReceived == Array("hello".utf8))
    }

    @Test("without SNI the configured default certificate is served")
    func noSNI() throws {
        let connection = try connect(index: index, serverHostname: nil)
        #expect(connection.errors.isEmpty, "\(connection.errors)")
        #expect(connection.sniffed == .tls(ClientHello(serverName: nil, alpnProtocols: ["h2", "http/1.1"])))
        #expect(connection.peerCertificate == storeDefault.chain[0])
    }

    @Test("without SNI and without a configured default the generated certificate is served")
    func generatedDefault() throws {
        let index = CertificateIndex(certificates: [apex])
        let connection = try connect(index: index, serverHostname: nil)
        #expect(connection.errors.isEmpty, "\(connection.errors)")
        #expect(connection.peerCertificate == DefaultCertificate.shared.chain[0])
    }

    // A fully verifying client needs a trust anchor that can issue: the self-signed leaves
    // these tests used to trust (CA:FALSE, keyUsage without keyCertSign) are not one to
    // BoringSSL, which fails such a chain with "unable to get local issuer certificate"
    // (alert unknown_ca). So the certificates come from a test CA and the client trusts it.
    @Test("a verifying client trusting only the test CA accepts the wildcard certificate for its SNI")
    func verifyingClient() throws {
        let connection = try connect(
            index: index,
            serverHostname: "shop.example.com",
            configure: { configuration in
                configuration.certificateVerification = .fullVerification
                configuration.trustRoots = .certificates([ca.trustRoot])
            },
            send: Array("hello".utf8)
        )
        #expect(connection.errors.isEmpty, "\(connection.errors)")
        #expect(connection.clientCompleted && connection.serverCompleted)
        #expect(connection.peerCertificate == wildcard.chain[0])
        #expect(connection.serverReceived == Array("hello".utf8))
    }

    @Test("a verifying client refuses a certificate that does not cover its SNI")
    func verifyingClientRefusesOtherName() throws {
        // One label too deep for `*.example.com`: the index serves the default certificate,
        // issued by the same trusted CA but for default.test, so only the name check fails.
        try expectRefused(serverName: "a.shop.example.com", trusting: ca.trustRoot, served: storeDefault)
    }

    @Test("a verifying client refuses a certificate from an issuer it does not trust")
    func verifyingClientRefusesOtherIssuer() throws {
        let stranger = try TestCA(commonName: "Another test CA")
        try expectRefused(serverName: "shop.example.com", trusting: stranger.trustRoot, served: wildcard)
    }

    /// A fully verifying client trusting only `root` is served `served` and refuses it.
    private func expectRefused(serverName: String, trusting root: NIOSSLCertificate, served: ServerCertificate) throws {
        let connection = try connect(index: index, serverHostname: serverName) { configuration in
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = .certificates([root])
        }
        #expect(connection.peerCertificate == served.chain[0])
        #expect(!connection.clientCompleted)
        #expect(!connection.errors.isEmpty)
    }

    @Test("TLS 1.2 with ECDSA and with RSA certificates, modern suites")
    func tls12() throws {
        for serverName in ["example.com", "rsa.test"] {
            let connection = try connect(index: index, serverHostname: serverName) { configuration in
                configuration.maximumTLSVersion = .tlsv12
            }
            #expect(connection.errors.isEmpty, "\(serverName): \(connection.errors)")
            #expect(connection.tlsVersion == .tlsv12)
            #expect(connection.clientCompleted)
        }
    }

    @Test("a TLS 1.2 client offering only CBC suites is refused")
    func legacySuitesRefused() throws {
        let connection = try connect(index: index, serverHostname: "example.com") { configuration in
            configuration.maximumTLSVersion = .tlsv12
            configuration.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]
        }
        #expect(!connection.clientCompleted)
        #expect(!connection.errors.isEmpty)
    }

    @Test("a TLS 1.1 client is refused")
    func tls11Refused() throws {
        let connection = try connect(index: index, serverHostname: "example.com") { configuration in
            configuration.minimumTLSVersion = .tlsv1
            configuration.maximumTLSVersion = .tlsv11
        }
        #expect(connection.sniffed == .tls(ClientHello(serverName: "example.com", alpnProtocols: ["h2", "http/1.1"])))
        #expect(!connection.clientCompleted)
        #expect(!connection.serverCompleted)
        #expect(!connection.errors.isEmpty)
    }

    @Test("ALPN follows the settings: an HTTP/1.1-only index negotiates http/1.1")
    func alpnSettings() throws {
        let http1Only = try CertificateIndex(
            certificates: [apex],
            settings: TLSServerSettings(applicationProtocols: ["http/1.1"])
        )
        let connection = try connect(index: http1Only, serverHostname: "example.com")
        #expect(connection.errors.isEmpty, "\(connection.errors)")
        #expect(connection.negotiatedProtocol == "http/1.1")
    }
}
