import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
@testable import ACME

/// A TLS server on loopback that presents, per SNI name, the TLS-ALPN-01 challenge
/// certificate from a ``ChallengeStore`` and negotiates ALPN `acme-tls/1` only.
final class TLSALPN01Server: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start(port: Int, store: ChallengeStore) async throws -> TLSALPN01Server {
        // The default certificate is never the right answer; names the store knows get theirs.
        let placeholder = try ACMEChallengeAnswer.TLSALPN01(
            identifier: .dns("placeholder.invalid"),
            challenge: ACMEChallenge(type: .tlsALPN01, url: "https://placeholder.invalid", status: .pending),
            keyAuthorization: "placeholder"
        ).makeChallengeCertificate()
        var configuration = try placeholder.nioSSLServerConfiguration()
        configuration.sslContextCallback = { values, promise in
            store.recordRequest("TLS \(values.serverHostname ?? "-")")
            promise.succeed(store.certificate(for: values.serverHostname) ?? .noChanges)
        }
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.addHandler(CloseOnError())
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        return TLSALPN01Server(channel: channel)
    }

    func stop() async {
        try? await self.channel.close()
    }

    /// The validator only needs the handshake and closes the connection itself; a failed
    /// handshake closes it here.
    private final class CloseOnError: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
