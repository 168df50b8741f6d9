#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import Logging
import Middlewares
import NIOCore
import NIOHTTP1
import Routing
import TLS

extension HTTPProxyHandler {
    /// One request and its response.
    final class Exchange {
        /// What goes to the current attempt's server.
        var forwardHead: HTTPRequestHead
        /// The request as the router's middlewares left it, before a server was picked.
        let requestHead: HTTPRequestHead
        let clientVersion: HTTPVersion
        let method: HTTPMethod
        let uri: String
        let host: String
        let userAgent: String
        let referer: String
        let routerName: String
        let service: Service
        /// The current attempt's server.
        var upstream: Upstream
        let startUptime: NIODeadline
        let startWall: timespec
        let upgrade: Bool
        /// The backend's 101, held until the decoder reports the end of that response.
        var switchingProtocols: HTTPResponseHead?
        var clientKeepAlive: Bool
        var connection: UpstreamConnection?
        var buffered: [HTTPClientRequestPart] = []
        var requestEnded = false
        var hadBody = false
        var requestBytes = 0
        var responseStarted = false
        var upstreamKeepAlive = true
        var status = 0
        var responseBytes = 0
        /// The current attempt runs on a pooled connection.
        var reused = false
        /// The current attempt wrote (part of) the request to its backend.
        var sentToBackend = false
        /// Retries, and the copy of the request that lets it be sent again.
        var attempts: ExchangeAttempts
        /// Servers whose attempt failed; a retry picks another when it can.
        var failedServers: [ObjectIdentifier] = []
        /// The copy for the mirrors of a `mirroring` service, until the request ends.
        var mirror: MirrorCopy?
        var headerTimer: Scheduled<Void>?
        /// The router's middlewares that let the request through; they see the response head.
        var middlewares: AppliedMiddlewares?
        /// The load balancer the server was picked from (passive health checks).
        var balancer: LoadBalancer?
        /// Sticky-session cookies for the response.
        var setCookies: [String] = []
        /// The request counts towards the server's in-flight load (p2c).
        var countsLoad = false
        /// The response side of middlewares that transform bodies, when the router has some.
        var pipeline: ResponsePipeline?
        /// The status the client got, when a middleware replaced the backend's (0: the same).
        var clientStatus = 0
        /// Coalesce flushes to one per this interval (`nil`: flush after every backend read).
        var flushInterval: TimeAmount?
        var flushTimer: Scheduled<Void>?
        var unflushedBytes = 0

        init(
            forwardHead: HTTPRequestHead, original: HTTPRequestHead, host: String, routerName: String,
            service: Service, upstream: Upstream, start: NIODeadline, wall: timespec, upgrade: Bool, keepAlive: Bool,
            policy: ExchangePolicy
        ) {
            self.forwardHead = forwardHead
            self.requestHead = forwardHead
            self.attempts = ExchangeAttempts(policy: policy)
            self.clientVersion = original.version
            self.method = original.method
            self.uri = original.uri
            self.host = host
            self.userAgent = original.headers.first(name: "user-agent") ?? ""
            self.referer = original.headers.first(name: "referer") ?? ""
            self.routerName = routerName
            self.service = service
            self.upstream = upstream
            self.startUptime = start
            self.startWall = wall
            self.upgrade = upgrade
            self.clientKeepAlive = keepAlive
        }
    }
}
