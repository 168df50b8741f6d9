#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import Middlewares
import NIOCore
import NIOHTTP1

/// A routed request on its way through its router's middlewares, before a server is picked.
/// Body parts that arrive while a middleware has suspended it are kept here too.
///
/// A value, so the common request (no middleware, or none that suspends) allocates nothing for
/// it; ``SuspendedRequest`` boxes it while a middleware decides.
struct ForwardPlan {
    let original: HTTPRequestHead
    let host: String
    let start: NIODeadline
    let wall: timespec
    let keepAlive: Bool
    let routerName: String
    let service: Service
    let upgrade: Bool
    let expectsContinue: Bool
    let chain: MiddlewareChain
    /// The request as the middlewares have left it so far.
    var request: MiddlewareRequest
    /// How many middlewares let the request through (they see the response and the end).
    var passed = 0
    var buffered: [HTTPClientRequestPart] = []
    var requestEnded = false
    var hadBody = false
    var requestBytes = 0

    init(
        original: HTTPRequestHead, host: String, start: NIODeadline, wall: timespec, keepAlive: Bool, routerName: String,
        service: Service, upgrade: Bool, expectsContinue: Bool, request: MiddlewareRequest, chain: MiddlewareChain
    ) {
        self.original = original
        self.host = host
        self.start = start
        self.wall = wall
        self.keepAlive = keepAlive
        self.routerName = routerName
        self.service = service
        self.upgrade = upgrade
        self.expectsContinue = expectsContinue
        self.request = request
        self.chain = chain
    }
}

/// A request a middleware suspended: the connection's state holds it, by identity, until the
/// decision comes, and body parts read meanwhile are added to its plan.
final class SuspendedRequest {
    var plan: ForwardPlan

    init(_ plan: ForwardPlan) {
        self.plan = plan
    }
}
