import Foundation
import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS
import TLS
import Testing
import X509

/// Records TLS handshake completion.
private final class HandshakeObserver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    var negotiatedProtocol: String?? = nil  // .some(nil): completed without ALPN
    var received: [UInt8] = []

    var completed: Bool { self.negotiatedProtocol != nil }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let negotiated) = event as? TLSUserEvent {
            self.negotiatedProtocol = .some(negotiated)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.received += self.unwrapInboundIn(data).bytes
    }
}

/// The outcome of one in-memory connection: client ↔ sniffer → NIOSSL server.
private struct Connection {
    var sniffed: SniffResult?
    var clientCompleted: Bool
    var serverCompleted: Bool
    var negotiatedProtocol: String?
    var peerCertificate: NIOSSLCertificate?
    var tlsVersion: TLSVersion?
    var errors: [any Error]
    var serverReceived: [UInt8]
}

private func connect(
    index: CertificateIndex,
    serverHostname: String?,
    configure: (inout TLSConfiguration) -> Void = { _ in },
    send: [UInt8] = []
) throws -> Connection {
    var clientConfiguration = TLSConfiguration.makeClientConfiguration()
    clientConfiguration.certificateVerification = .none
    clientConfiguration.applicationProtocols = ["h2", "http/1.1"]
    configure(&clientConfiguration)

    let server = EmbeddedChannel()
    let serverObserver = HandshakeObserver()
    var sniffed: SniffResult? = nil
    try server.pipeline.syncOperations.addHandler(
        ProtocolSniffer(timeout: .seconds(10)) { result, channel in
            sniffed = result
            guard case .tls(let hello) = result else {
                return channel.eventLoop.makeFailedFuture(TestSupportError(description: "not TLS"))
            }
            return channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(NIOSSLServerHandler(context: index.sslContext(forServerName: hello.serverName)))
                try sync.addHandler(serverObserver)
            }
        }
    )
    try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50_000)).wait()

    let client = EmbeddedChannel()
    let clientObserver = HandshakeObserver()
    try client.pipeline.syncOperations.addHandler(
        try NIOSSLClientHandler(context: NIOSSLContext(configuration: clientConfiguration), serverHostname: serverHostname)
    )
    try client.pipeline.syncOperations.addHandler(clientObserver)

    var errors: [any Error] = []
    do {
        try client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
    } catch {
        errors.append(error)
    }
    interact(client: client, server: server, errors: &errors)
    if !send.isEmpty, clientObserver.completed {
        client.writeAndFlush(ByteBuffer(bytes: send), promise: nil)
        interact(client: client, server: server, errors: &errors)
    }

    let connection = Connection(
        sniffed: sniffed,
        clientCompleted: clientObserver.completed,
        serverCompleted: serverObserver.completed,
        negotiatedProtocol: clientObserver.negotiatedProtocol ?? nil,
        peerCertificate: try? client.pipeline.syncOperations.nioSSL_peerCertificate(),
        tlsVersion: try? client.pipeline.syncOperations.nioSSL_tlsVersion(),
        errors: errors,
        serverReceived: serverObserver.received
    )
    // NIOSSL waits for the peer's close_notify up to its shutdown timeout; on embedded loops
    // that timer only fires when time is advanced, so close both ends and move time on.
    client.close(promise: nil)
    server.close(promise: nil)
    client.embeddedEventLoop.advanceTime(by: .seconds(60))
    server.embeddedEventLoop.advanceTime(by: .seconds(60))
    _ = try? client.finish(acceptAlreadyClosed: true)
    _ = try? server.finish(acceptAlreadyClosed: true)
    return connection
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
