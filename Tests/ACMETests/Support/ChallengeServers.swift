import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
@testable import ACME

/// What the test's challenge servers answer: HTTP-01 tokens and TLS-ALPN-01 certificates,
/// shared between the solver (writes) and the servers (read).
final class ChallengeStore: Sendable {
    private let tokens = Mutex<[String: String]>([:])
    private let certificates = Mutex<[String: NIOSSLContextConfigurationOverride]>([:])
    private let requests = Mutex<[String]>([])

    func setToken(_ token: String, keyAuthorization: String?) {
        self.tokens.withLock { $0[token] = keyAuthorization }
    }

    func keyAuthorization(for token: String) -> String? {
        self.tokens.withLock { $0[token] }
    }

    func setCertificate(for host: String, _ certificate: ACMEChallengeCertificate?) throws {
        var override: NIOSSLContextConfigurationOverride?
        if let certificate {
            var value = NIOSSLContextConfigurationOverride()
            value.certificateChain = [.certificate(try certificate.nioSSLCertificate())]
            value.privateKey = .privateKey(try certificate.nioSSLPrivateKey())
            override = value
        }
        self.certificates.withLock { $0[host.lowercased()] = override }
    }

    func certificate(for host: String?) -> NIOSSLContextConfigurationOverride? {
        guard let host else { return nil }
        return self.certificates.withLock { $0[host.lowercased()] }
    }

    func recordRequest(_ line: String) {
        self.requests.withLock { $0.append(line) }
    }

    /// Requests the servers saw (`GET /.well-known/…`, `TLS sni`).
    var seenRequests: [String] { self.requests.withLock { $0 } }
}

/// A minimal HTTP/1.1 server on loopback that answers `/.well-known/acme-challenge/<token>`
/// from a ``ChallengeStore`` (404 for anything else), as a CA's HTTP-01 validation expects.
final class HTTP01Server: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start(port: Int, store: ChallengeStore) async throws -> HTTP01Server {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(store: store))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        return HTTP01Server(channel: channel)
    }

    func stop() async {
        try? await self.channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let store: ChallengeStore
        var path = ""

        init(store: ChallengeStore) {
            self.store = store
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch self.unwrapInboundIn(data) {
            case .head(let head):
                self.path = head.uri
                self.store.recordRequest("GET \(head.uri) Host: \(head.headers["Host"].first ?? "")")
            case .body:
                break
            case .end:
                let prefix = "/.well-known/acme-challenge/"
                var status = HTTPResponseStatus.notFound
                var body = "not found\n"
                if self.path.hasPrefix(prefix), let answer = self.store.keyAuthorization(for: String(self.path.dropFirst(prefix.count))) {
                    status = .ok
                    body = answer
                }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/octet-stream")
                headers.add(name: "Content-Length", value: "\(body.utf8.count)")
                headers.add(name: "Connection", value: "close")
                context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
                let channel = context.channel
                context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in
                    channel.close(promise: nil)
                }
            }
        }
    }
}

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
