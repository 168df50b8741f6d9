import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
@testable import ACME

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
