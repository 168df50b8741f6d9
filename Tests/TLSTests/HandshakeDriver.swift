import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS

/// Records, on one side of a connection, the TLS handshake's completion and the bytes that
/// arrive after it.
final class HandshakeObserver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// `.some(nil)`: completed without ALPN.
    var negotiatedProtocol: String?? = nil
    var received: [UInt8] = []

    var completed: Bool { negotiatedProtocol != nil }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let negotiated) = event as? TLSUserEvent {
            negotiatedProtocol = .some(negotiated)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += unwrapInboundIn(data).bytes
    }
}

/// What one in-memory TLS connection came to.
struct HandshakeOutcome {
    var clientCompleted = false
    var serverCompleted = false
    /// The protocol ALPN chose, as the client saw it.
    var negotiatedProtocol: String?
    var tlsVersion: TLSVersion?
    /// The server's certificate, as the client saw it.
    var peerCertificate: NIOSSLCertificate?
    /// The client's certificate, as the server saw it.
    var clientCertificate: NIOSSLCertificate?
    var errors: [any Error] = []
    /// What the server read after the handshake.
    var serverReceived: [UInt8] = []
}

/// Runs a TLS handshake between an NIOSSL client and a server pipeline on two embedded
/// channels, then sends `send` from the client if the handshake completed, and closes both ends.
///
/// - Parameters:
///   - serverHostname: the SNI the client sends.
///   - configure: changes to the client's configuration (no verification, ALPN h2 and
///     http/1.1 by default).
///   - installServer: adds the server's handlers to its pipeline, ending with `observer` once
///     TLS is in place (now, or later from a handler of its own).
func driveHandshake(
    serverHostname: String?,
    configure: (inout TLSConfiguration) -> Void = { _ in },
    send: [UInt8] = [],
    installServer: (_ server: EmbeddedChannel, _ observer: HandshakeObserver) throws -> Void
) throws -> HandshakeOutcome {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .none
    configuration.applicationProtocols = ["h2", "http/1.1"]
    configure(&configuration)

    let server = EmbeddedChannel()
    let serverObserver = HandshakeObserver()
    try installServer(server, serverObserver)
    try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50_000)).wait()

    let client = EmbeddedChannel()
    let clientObserver = HandshakeObserver()
    try client.pipeline.syncOperations.addHandler(
        try NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: serverHostname)
    )
    try client.pipeline.syncOperations.addHandler(clientObserver)

    var errors: [any Error] = []
    do {
        try client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
    } catch {
        errors.append(error)
    }
    // What each side learnt of its peer, kept as soon as it is known: after a failed
    // handshake the pipelines close and can no longer be asked.
    var tlsVersion: TLSVersion?
    var peerCertificate: NIOSSLCertificate?
    var clientCertificate: NIOSSLCertificate?
    func pump() {
        for _ in 0..<20 {
            interact(client: client, server: server, errors: &errors)
            tlsVersion = (try? client.pipeline.syncOperations.nioSSL_tlsVersion()) ?? tlsVersion
            peerCertificate = (try? client.pipeline.syncOperations.nioSSL_peerCertificate()) ?? peerCertificate
            clientCertificate = (try? server.pipeline.syncOperations.nioSSL_peerCertificate()) ?? clientCertificate
            server.embeddedEventLoop.run()
            client.embeddedEventLoop.run()
        }
    }
    pump()
    if !send.isEmpty, clientObserver.completed {
        client.writeAndFlush(ByteBuffer(bytes: send), promise: nil)
        pump()
    }

    let outcome = HandshakeOutcome(
        clientCompleted: clientObserver.completed,
        serverCompleted: serverObserver.completed,
        negotiatedProtocol: clientObserver.negotiatedProtocol ?? nil,
        tlsVersion: tlsVersion,
        peerCertificate: peerCertificate,
        clientCertificate: clientCertificate,
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
    return outcome
}
