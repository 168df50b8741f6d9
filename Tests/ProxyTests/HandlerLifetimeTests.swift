import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import Proxy

/// A connection's handlers must go away with it: a handler that keeps its context keeps itself
/// alive (the context holds the handler), and every connection would leak both.
@Suite struct HandlerLifetimeTests {
    @Test("the proxy handler is freed when its connection closes, after answering a request")
    func proxyHandlerIsFreed() throws {
        let loop = EmbeddedEventLoop()
        let entryPoint = EntryPointContext(
            name: "web", port: 80, snapshots: SnapshotHolder(), pools: UpstreamPools(group: loop),
            accessLog: nil, logger: Logger(label: "test"), serverName: "test"
        )
        weak var released: HTTPProxyHandler?
        do {
            let channel = EmbeddedChannel(loop: loop)
            let handler = HTTPProxyHandler(
                entryPoint: entryPoint, isTLS: false, isHTTP2: false, client: ClientInfo(nil), timeouts: nil
            )
            released = handler
            try channel.pipeline.syncOperations.addHandler(handler)
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
            head.headers.add(name: "Host", value: "nothing.test")
            try channel.writeInbound(HTTPServerRequestPart.head(head))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
            // No routes: a local 404 was written.
            guard case .head(let response) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
                Issue.record("no response head")
                return
            }
            #expect(response.status == .notFound)
            _ = try channel.finish(acceptAlreadyClosed: true)
        }
        #expect(released == nil, "HTTPProxyHandler outlived its channel")
    }
}
