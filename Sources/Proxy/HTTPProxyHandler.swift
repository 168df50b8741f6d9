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

/// The client's address, computed once per connection.
struct ClientInfo {
    let ip: IPAddress?
    let host: String
    let port: Int
    /// The certificate the client presented in the TLS handshake (mutual TLS), if any.
    var certificate: PeerCertificate?

    init(_ address: SocketAddress?) {
        self.ip = address.flatMap { IPAddress($0) }
        self.host = address?.ipAddress ?? "-"
        self.port = address?.port ?? 0
    }
}

/// Proxies the requests of one HTTP/1 connection, or of one HTTP/2 stream, to backends.
///
/// For each request head it reads the current snapshot once, matches the entry point's route
/// table, picks a server, takes a pooled connection (or opens one) on the same event loop, and then
/// streams the request body up and the response down. Reads on each side pause while the other
/// side cannot take more bytes, so bodies of any size stream in bounded memory.
final class HTTPProxyHandler: ChannelDuplexHandler, RemovableChannelHandler, UpstreamDelegate {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// One request and its response.
    private final class Exchange {
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

    private enum State {
        case idle
        /// The router's middlewares are deciding (one suspended the request); body parts wait.
        case middlewares(SuspendedRequest)
        /// The `buffering` middleware reads the body whole before the request goes on.
        case buffering(SuspendedRequest)
        case exchange(Exchange)
        /// A local response was sent before the request body ended; the rest of it is dropped.
        case discarding(closeAfter: Bool)
        case upgraded
    }

    private let entryPoint: EntryPointContext
    private let isTLS: Bool
    private let isHTTP2: Bool
    private let client: ClientInfo
    private let timeouts: ConnectionTimeoutHandler?
    private var context: ChannelHandlerContext!
    private var pool: UpstreamPool!
    private var state: State = .idle
    private var pendingClientRead = false
    private var upstreamNeedsFlush = false
    /// Between a client channelRead and its channelReadComplete.
    private var inClientRead = false

    init(entryPoint: EntryPointContext, isTLS: Bool, isHTTP2: Bool, client: ClientInfo, timeouts: ConnectionTimeoutHandler?) {
        self.entryPoint = entryPoint
        self.isTLS = isTLS
        self.isHTTP2 = isHTTP2
        self.client = client
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.pool = entryPoint.pools.pool(for: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        abandonExchange()
        // The context holds this handler: let go of it, or both outlive the connection.
        self.context = nil
    }

    // MARK: Client side

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inClientRead = true
        switch unwrapInboundIn(data) {
        case .head(let head):
            startRequest(head)
        case .body(let body):
            switch state {
            case .exchange(let ex):
                ex.hadBody = true
                ex.requestBytes &+= body.readableBytes
                let part = HTTPClientRequestPart.body(.byteBuffer(body))
                ex.attempts.record(part)
                ex.mirror?.add(part)
                if let conn = ex.connection {
                    conn.handler.context?.write(NIOAny(part), promise: nil)
                    upstreamNeedsFlush = true
                } else {
                    ex.buffered.append(part)
                }
            case .middlewares(let suspended):
                suspended.plan.hadBody = true
                suspended.plan.requestBytes &+= body.readableBytes
                suspended.plan.buffered.append(.body(.byteBuffer(body)))
            case .buffering(let collecting):
                collecting.plan.hadBody = true
                collecting.plan.requestBytes &+= body.readableBytes
                collecting.plan.buffered.append(.body(.byteBuffer(body)))
                if collecting.plan.chain.exchange.buffering?.exceeds(Int64(collecting.plan.requestBytes)) == true {
                    state = .idle
                    answer(collecting.plan, with: .middleware(.plainError(.payloadTooLarge)))
                }
            default:
                break
            }
        case .end(let trailers):
            switch state {
            case .exchange(let ex):
                ex.requestEnded = true
                ex.attempts.record(.end(trailers))
                if let mirror = ex.mirror {
                    ex.mirror = nil
                    mirror.add(.end(trailers))
                    mirror.send(pool: pool, logger: entryPoint.logger)
                }
                if let conn = ex.connection {
                    // Flushed with whatever else this read brought, at channelReadComplete.
                    conn.handler.context?.write(NIOAny(HTTPClientRequestPart.end(trailers)), promise: nil)
                    upstreamNeedsFlush = true
                    armHeaderTimer(ex)
                } else {
                    ex.buffered.append(.end(trailers))
                }
            case .middlewares(let suspended):
                suspended.plan.requestEnded = true
                suspended.plan.buffered.append(.end(trailers))
            case .buffering(let collecting):
                collecting.plan.requestEnded = true
                collecting.plan.buffered.append(.end(trailers))
                state = .idle
                forwardToService(collecting.plan)
            case .discarding(let closeAfter):
                state = .idle
                if closeAfter { context.close(promise: nil) }
            default:
                break
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inClientRead = false
        if upstreamNeedsFlush, case .exchange(let ex) = state, let conn = ex.connection {
            upstreamNeedsFlush = false
            conn.handler.context?.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if case .middlewares = state {
            // Hold the body back while a middleware decides; what one read brought is buffered.
            pendingClientRead = true
            return
        }
        if case .exchange(let ex) = state, !ex.requestEnded {
            guard let conn = ex.connection, conn.channel.isWritable else {
                pendingClientRead = true
                return
            }
        }
        context.read()
    }

    private func resumeClientReading() {
        if pendingClientRead {
            pendingClientRead = false
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .exchange(let ex) = state {
            ex.connection?.handler.resumeReading()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        abandonExchange()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        entryPoint.logger.debug("client connection error", metadata: ["error": "\(error)", "client": "\(client.host)"])
        abandonExchange()
        if !channelClosesItself(after: error) {
            context.close(promise: nil)
        }
    }

    var clientIsWritable: Bool { context?.channel.isWritable ?? false }

    // MARK: Routing

    private func startRequest(_ head: HTTPRequestHead) {
        timeouts?.requestStarted()
        let start = NIODeadline.now()
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)

        // The authority: an absolute-form target wins over Host (RFC 9112 §3.2.2).
        var path = head.uri
        var hostValue = head.headers.first(name: "host") ?? ""
        if !path.hasPrefix("/"), let schemeEnd = path.range(of: "://") {
            let rest = path[schemeEnd.upperBound...]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            hostValue = String(rest[..<slash])
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
        }
        let keepAlive = isHTTP2 || head.isKeepAlive
        if !isHTTP2, let problem = Self.hostHeaderProblem(head) {
            entryPoint.logger.debug("malformed request", metadata: ["client": "\(client.host)", "error": "\(problem)"])
            respondLocally(.badRequest, head: head, host: hostValue, start: start, wall: wall, router: "", keepAlive: false)
            return
        }

        if let challenges = entryPoint.httpChallenges, head.method == .GET || head.method == .HEAD,
           let token = ACMEChallengePath.token(in: path),
           let keyAuthorization = challenges.keyAuthorization(forToken: token, host: RoutingRequest.normalizeHost(hostValue[...])) {
            entryPoint.logger.info("answered ACME HTTP-01 challenge", metadata: ["host": "\(hostValue)", "client": "\(client.host)"])
            respondLocally(.acmeChallenge(keyAuthorization: keyAuthorization), head: head, host: hostValue, start: start, wall: wall,
                           router: "acme-http01", keepAlive: keepAlive)
            return
        }

        let snapshot = entryPoint.snapshots.current
        let routes = snapshot.entryPoints[entryPoint.name] ?? .empty
        let table = isTLS ? routes.secure : routes.plain
        let request = RoutingRequest(head: head, host: hostValue, path: path, clientIP: client.ip)
        guard let match = table.match(request) else {
            respondLocally(.notFound, head: head, host: hostValue, start: start, wall: wall, router: "", keepAlive: keepAlive)
            return
        }
        let target = match.target
        switch target.action {
        case .redirect(let redirect):
            let location = redirectLocation(redirect, host: hostValue, path: path)
            let status: HTTPResponseStatus
            let safe = head.method == .GET || head.method == .HEAD
            if redirect.permanent { status = safe ? .movedPermanently : .permanentRedirect } else { status = safe ? .found : .temporaryRedirect }
            respondLocally(.redirect(status: status, location: location), head: head, host: hostValue, start: start, wall: wall,
                           router: target.routerName, keepAlive: keepAlive)
        case .forward(let service):
            var forward = head
            forward.version = .http1_1
            forward.uri = path
            if head.version.major < 2 && head.version.minor == 0 && !forward.headers.contains(name: "host") {
                forward.headers.add(name: "Host", value: hostValue)
            }
            let upgrade = HeaderRewriting.removeHopByHop(&forward.headers, keepUpgrade: !isHTTP2)
            let expectsContinue = forward.headers.contains(name: "expect")
                && forward.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" })
            if expectsContinue { forward.headers.remove(name: "expect") }
            let chain = target.middlewares
            HeaderRewriting.applyForwarded(
                &forward.headers,
                trusted: entryPoint.trusts(client.ip),
                clientIP: client.host,
                tls: isTLS,
                websocket: upgrade?.lowercased() == "websocket",
                entryPointPort: entryPoint.port,
                serverName: entryPoint.serverName,
                appendForwardedFor: chain.isEmpty
            )
            var plan = ForwardPlan(
                original: head, host: hostValue, start: start, wall: wall, keepAlive: keepAlive, routerName: target.routerName,
                service: service, upgrade: upgrade != nil, expectsContinue: expectsContinue,
                request: MiddlewareRequest(head: forward, host: hostValue, isTLS: isTLS, peerIP: client.ip, eventLoop: context.eventLoop,
                                           clientCertificate: client.certificate),
                chain: chain
            )
            if chain.isEmpty {
                forwardToService(plan)
            } else {
                // Middlewares see the request as Traefik's do: forwarded headers set, the client's
                // address not yet appended to X-Forwarded-For.
                let step = chain.runRequest(&plan.request)
                advance(plan, step)
            }
        }
    }

    // MARK: Middlewares

    /// Acts on where the router's middlewares left the request.
    private func advance(_ plan: ForwardPlan, _ step: MiddlewareChain.Step) {
        var plan = plan
        switch step {
        case .forward:
            HeaderRewriting.appendForwardedFor(&plan.request.head.headers, clientIP: client.host)
            plan.passed = plan.chain.middlewares.count
            if plan.chain.exchange.buffering != nil && !plan.requestEnded {
                collectBody(plan)
            } else {
                forwardToService(plan)
            }
        case .answer(let index, let response):
            plan.passed = index
            answer(plan, with: .middleware(response))
        case .suspended(let index, let future):
            plan.passed = index
            let suspended = SuspendedRequest(plan)
            state = .middlewares(suspended)
            future.hop(to: context.eventLoop).assumeIsolated().whenComplete { [self] result in
                guard case .middlewares(let current) = self.state, current === suspended else { return }
                self.state = .idle
                var plan = suspended.plan
                switch result {
                case .success(let resumption):
                    let step = plan.chain.resume(resumption, &plan.request, at: index)
                    self.advance(plan, step)
                case .failure(let error):
                    self.entryPoint.logger.error("middleware failed", metadata: [
                        "router": "\(plan.routerName)", "middleware": "\(plan.chain.names[index])", "error": "\(error)",
                    ])
                    self.answer(plan, with: .middleware(.plainError(.internalServerError)))
                }
            }
        }
    }

    /// Answers a request before it reaches the service (a middleware's answer, or 503), through
    /// the response side of the middlewares it passed.
    private func answer(_ pending: ForwardPlan, with response: LocalResponse) {
        let head = pending.original
        let edit: ((inout HTTPResponseHead) -> Void)? = pending.passed == 0 ? nil : { response in
            pending.chain.runResponse(&response, request: pending.request, passed: pending.passed)
        }
        if pending.requestEnded {
            // The body (if any) was read while a middleware decided: nothing left to discard.
            writeLocal(response, version: head.version, close: !pending.keepAlive, edit: edit,
                       through: (pending.chain, pending.request, pending.passed))
            timeouts?.requestFinished()
            logLocal(status: Int(response.status.code), head: head, host: pending.host, start: pending.start, wall: pending.wall,
                     router: pending.routerName, size: response.body.utf8.count)
        } else {
            respondLocally(response, head: head, host: pending.host, start: pending.start, wall: pending.wall,
                           router: pending.routerName, keepAlive: pending.keepAlive, edit: edit,
                           through: (pending.chain, pending.request, pending.passed))
        }
        pending.chain.finish(pending.request, passed: pending.passed)
        resumeClientReading()
    }

    /// Reads the request body whole before the request goes on (`buffering`), refusing it with 413
    /// once it passes the limit.
    private func collectBody(_ plan: ForwardPlan) {
        if plan.chain.exchange.buffering?.exceeds(Int64(plan.requestBytes)) == true {
            answer(plan, with: .middleware(.plainError(.payloadTooLarge)))
            return
        }
        state = .buffering(SuspendedRequest(plan))
        if plan.expectsContinue && !isHTTP2 {
            let cont = HTTPResponseHead(version: plan.original.version, status: .continue)
            context.writeAndFlush(wrapOutboundOut(.head(cont)), promise: nil)
        }
        resumeClientReading()
    }

    /// Picks a server of the service and starts the exchange with it.
    private func forwardToService(_ pending: ForwardPlan) {
        let service = pending.service
        guard let selection = service.select(pending.request.head.headers) else {
            answer(pending, with: .serviceUnavailable)
            return
        }
        let ex = Exchange(
            forwardHead: pending.request.head, original: pending.original, host: pending.host, routerName: pending.routerName,
            service: service, upstream: selection.upstream, start: pending.start, wall: pending.wall, upgrade: pending.upgrade,
            keepAlive: pending.keepAlive, policy: pending.chain.exchange
        )
        use(selection, for: ex)
        if !pending.chain.isEmpty {
            ex.middlewares = AppliedMiddlewares(chain: pending.chain, request: pending.request)
        }
        ex.buffered = pending.buffered
        ex.requestEnded = pending.requestEnded
        ex.hadBody = pending.hadBody
        ex.requestBytes = pending.requestBytes
        state = .exchange(ex)
        if !pending.upgrade, let mirroring = selection.mirroring, let mirror = MirrorCopy(mirroring, head: pending.request.head) {
            for part in pending.buffered { mirror.add(part) }
            if pending.requestEnded {
                mirror.send(pool: pool, logger: entryPoint.logger)
            } else {
                ex.mirror = mirror
            }
        }
        if pending.expectsContinue && !isHTTP2 && !pending.requestEnded {
            let cont = HTTPResponseHead(version: pending.original.version, status: .continue)
            context.writeAndFlush(wrapOutboundOut(.head(cont)), promise: nil)
        }
        sendAttempt(ex)
        resumeClientReading()
    }

    /// Makes `selection` the server of the exchange's next attempt.
    private func use(_ selection: ServerSelection, for ex: Exchange) {
        if ex.countsLoad {
            ex.countsLoad = false
            ex.upstream.health.inFlight.wrappingSubtract(1, ordering: .relaxed)
        }
        let upstream = selection.upstream
        var forward = ex.requestHead
        if !upstream.pathPrefix.isEmpty { forward.uri = upstream.pathPrefix + forward.uri }
        if !selection.balancer.passHostHeader {
            forward.headers.replaceOrAdd(name: "Host", value: upstream.hostHeader)
        }
        ex.upstream = upstream
        ex.forwardHead = forward
        ex.balancer = selection.balancer
        ex.setCookies = selection.setCookies
        if selection.balancer.strategy == .powerOfTwoChoices {
            ex.countsLoad = true
            upstream.health.inFlight.wrappingAdd(1, ordering: .relaxed)
        }
    }

    /// Starts an attempt at the exchange's server: on a pooled connection if one is idle.
    private func sendAttempt(_ ex: Exchange) {
        if let conn = pool.takeIdle(for: ex.upstream) {
            ex.reused = true
            attach(conn, to: ex)
        } else {
            ex.reused = false
            connect(ex)
        }
    }

    /// RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host header is answered 400; a
    /// second Host is a classic way to route one request past a check made on the other.
    static func hostHeaderProblem(_ head: HTTPRequestHead) -> String? {
        var count = 0
        for (name, value) in head.headers where HeaderRewriting.equalsIgnoringASCIICase(name, lowercase: "host") {
            count += 1
            if value.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" || $0 == "@" }) {
                return "invalid Host header"
            }
        }
        if count > 1 { return "more than one Host header" }
        if count == 0 && head.version.major == 1 && head.version.minor >= 1 { return "missing Host header" }
        return nil
    }

    private func redirectLocation(_ redirect: SchemeRedirect, host: String, path: String) -> String {
        let name = HostAndPort(host).host
        let defaultPort = redirect.scheme == "https" ? 443 : 80
        if let port = redirect.port, port != defaultPort {
            return "\(redirect.scheme)://\(name):\(port)\(path)"
        }
        return "\(redirect.scheme)://\(name)\(path)"
    }

    // MARK: Upstream connection

    private func connect(_ ex: Exchange) {
        pool.connect(to: ex.upstream).assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let conn):
                guard case .exchange(let current) = self.state, current === ex, ex.connection == nil else {
                    // The client went away meanwhile: keep the fresh connection for someone else.
                    self.pool.release(conn, transport: ex.upstream.transport)
                    return
                }
                self.attach(conn, to: ex)
            case .failure(let error):
                guard case .exchange(let current) = self.state, current === ex else { return }
                self.attemptFailed(ex, with: self.isTimeout(error) ? .gatewayTimeout : .badGateway, error: error)
            }
        }
    }

    private func isTimeout(_ error: any Error) -> Bool {
        if case .connectTimeout = error as? ChannelError { return true }
        return false
    }

    private func attach(_ conn: UpstreamConnection, to ex: Exchange) {
        ex.attempts.startRecording(ifNeeded: ex.reused, received: ex.buffered)
        ex.sentToBackend = true
        ex.connection = conn
        conn.requestCount += 1
        conn.handler.delegate = self
        guard let upstreamContext = conn.handler.context else {
            upstreamFailed(UpstreamClosedError())
            return
        }
        upstreamContext.write(NIOAny(HTTPClientRequestPart.head(ex.forwardHead)), promise: nil)
        for part in ex.buffered {
            upstreamContext.write(NIOAny(part), promise: nil)
        }
        ex.buffered = []
        if inClientRead {
            // The request's end usually comes in the same read: one write(2) for both, at
            // channelReadComplete.
            upstreamNeedsFlush = true
        } else {
            upstreamContext.flush()
        }
        if ex.requestEnded { armHeaderTimer(ex) }
        resumeClientReading()
    }

    private func armHeaderTimer(_ ex: Exchange) {
        guard let timeout = ex.upstream.transport.responseHeaderTimeout, !ex.responseStarted, ex.headerTimer == nil else { return }
        ex.headerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            guard case .exchange(let current) = self.state, current === ex, !ex.responseStarted else { return }
            self.attemptFailed(ex, with: .gatewayTimeout, error: ResponseHeaderTimeoutError(timeout: timeout), connectionBroke: false)
        }
    }

    // MARK: UpstreamDelegate

    func upstreamResponseHead(_ head: HTTPResponseHead) {
        guard case .exchange(let ex) = state else { return }
        if interceptsResponse(ex, head) { return }
        ex.headerTimer?.cancel()
        ex.headerTimer = nil
        ex.buffered = []
        if head.status == .switchingProtocols, ex.upgrade {
            // The decoder reports the 101's end next; the splice starts then, when it has let go.
            ex.switchingProtocols = head
            return
        }
        ex.responseStarted = true
        ex.status = Int(head.status.code)
        ex.upstreamKeepAlive = head.isKeepAlive
        var response = head
        response.version = isHTTP2 ? .http2 : ex.clientVersion
        _ = HeaderRewriting.removeHopByHop(&response.headers, keepUpgrade: false)
        if isHTTP2 {
            HeaderRewriting.removeFraming(&response.headers)
        } else {
            if !ex.requestEnded && ex.hadBody { ex.clientKeepAlive = false }
            if !ex.clientKeepAlive {
                response.headers.add(name: "Connection", value: "close")
            } else if ex.clientVersion.minor == 0 {
                response.headers.add(name: "Connection", value: "keep-alive")
            }
        }
        for cookie in ex.setCookies { response.headers.add(name: "Set-Cookie", value: cookie) }
        ex.flushInterval = Self.flushInterval(ex.balancer?.flushInterval, head: head)
        if let applied = ex.middlewares, applied.transformsBodies {
            let pipeline = applied.makePipeline(client: ClientResponseSink(writer: self, exchange: ex))
            ex.pipeline = pipeline
            pipeline.writeHead(response)
            return
        }
        ex.middlewares?.editResponse(&response)
        context.write(wrapOutboundOut(.head(response)), promise: nil)
    }

    /// Go's ReverseProxy rule, which Traefik follows: server-sent events and responses of unknown
    /// length are flushed after every read; others at most once per the service's interval.
    static func flushInterval(_ configured: TimeAmount?, head: HTTPResponseHead) -> TimeAmount? {
        guard let configured, head.headers.contains(name: "content-length") else { return nil }
        if let type = head.headers.first(name: "content-type"), isEventStream(type) { return nil }
        return configured
    }

    /// Whether a Content-Type's media type is `text/event-stream` (case-insensitive, parameters
    /// and surrounding spaces allowed), without allocating.
    static func isEventStream(_ contentType: String) -> Bool {
        let expected = "text/event-stream".utf8
        var bytes = contentType.utf8[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        guard bytes.count >= expected.count else { return false }
        var index = bytes.startIndex
        for byte in expected {
            let x = bytes[index]
            if ((x >= 0x41 && x <= 0x5A) ? x | 0x20 : x) != byte { return false }
            index = bytes.index(after: index)
        }
        guard index < bytes.endIndex else { return true }
        let next = bytes[index]
        return next == UInt8(ascii: ";") || next == 0x20 || next == 0x09
    }

    func upstreamResponseBody(_ body: ByteBuffer) {
        guard case .exchange(let ex) = state else { return }
        if let pipeline = ex.pipeline {
            pipeline.writeBody(body)
            return
        }
        ex.responseBytes &+= body.readableBytes
        ex.unflushedBytes &+= body.readableBytes
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    }

    func upstreamResponseEnd(_ trailers: HTTPHeaders?) {
        guard case .exchange(let ex) = state, let conn = ex.connection else { return }
        if let head = ex.switchingProtocols {
            performUpgrade(ex, head: head)
            return
        }
        if ex.requestEnded && ex.upstreamKeepAlive {
            pool.release(conn, transport: ex.upstream.transport)
        } else {
            conn.handler.delegate = nil
            conn.channel.close(promise: nil)
        }
        ex.connection = nil
        ex.flushTimer?.cancel()
        ex.flushTimer = nil
        if let pipeline = ex.pipeline {
            // The client's end comes through the middlewares, now or later (an error page).
            pipeline.writeEnd(trailers)
            return
        }
        finishResponse(ex, trailers: trailers)
    }

    /// The response's end goes to the client: the exchange is over.
    private func finishResponse(_ ex: Exchange, trailers: HTTPHeaders?) {
        let keepClient = ex.clientKeepAlive && (ex.requestEnded || isHTTP2)
        state = ex.requestEnded || isHTTP2 ? .idle : .discarding(closeAfter: true)
        let written = context.writeAndFlush(wrapOutboundOut(.end(trailers)))
        // After the write: a quiescing connection closes when its last request finishes, and a
        // pipelined request that the write let in has been counted by then.
        concluded(ex, status: ex.clientStatus == 0 ? ex.status : ex.clientStatus, origin: ex.status, size: ex.responseBytes)
        timeouts?.requestFinished()
        if !keepClient {
            let ctx = context!
            written.assumeIsolated().whenComplete { _ in ctx.close(promise: nil) }
        }
        resumeClientReading()
    }

    func upstreamReadComplete() {
        guard case .exchange(let ex) = state else {
            context.flush()
            return
        }
        guard let interval = ex.flushInterval, ex.unflushedBytes < Self.flushThreshold, context.channel.isWritable else {
            flushClient(ex)
            return
        }
        // Coalesced: what arrives within the interval leaves with one flush.
        if ex.flushTimer == nil {
            ex.flushTimer = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
                guard case .exchange(let current) = self.state, current === ex else { return }
                ex.flushTimer = nil
                self.flushClient(ex)
            }
        }
    }

    /// Unflushed response bytes past which a coalescing response is flushed at once, as Go's
    /// response writer does when its buffer fills: the interval only ever delays small writes.
    private static let flushThreshold = 32 * 1024

    private func flushClient(_ ex: Exchange) {
        ex.flushTimer?.cancel()
        ex.flushTimer = nil
        ex.unflushedBytes = 0
        if let pipeline = ex.pipeline {
            pipeline.flush()
        } else {
            context.flush()
        }
    }

    func upstreamWritabilityChanged(isWritable: Bool) {
        if isWritable { resumeClientReading() }
    }

    func upstreamFailed(_ error: any Error) {
        guard case .exchange(let ex) = state else { return }
        dropBackend(ex)
        if ex.responseStarted {
            // Too late for an error status: cut the client off so it sees a truncated response.
            entryPoint.logger.warning(
                "backend failed mid-response",
                metadata: ["router": "\(ex.routerName)", "server": "\(ex.upstream.url)", "error": "\(error)"]
            )
            concluded(ex, status: ex.status, origin: ex.status, size: ex.responseBytes)
            state = .idle
            timeouts?.requestFinished()
            context.close(promise: nil)
            return
        }
        attemptFailed(ex, with: .badGateway, error: error)
    }

    /// An attempt failed before any of a response reached the client: send the request again if
    /// the exchange's attempts allow (``ExchangeAttempts``), else answer `response`.
    ///
    /// `connectionBroke` is false when the backend was only slow (the response header timeout):
    /// then a pooled connection is not taken for a stale one.
    private func attemptFailed(_ ex: Exchange, with response: LocalResponse, error: any Error, connectionBroke: Bool = true) {
        let next = ex.attempts.afterFailure(
            status: Int(response.status.code), reusedConnection: ex.reused && connectionBroke, nothingSent: !ex.sentToBackend)
        switch next {
        case .fail:
            countFailure(ex)
            entryPoint.logger.warning(
                error is ResponseHeaderTimeoutError ? "backend response header timeout"
                    : ex.sentToBackend ? "backend error" : "backend connection failed",
                metadata: [
                    "router": "\(ex.routerName)", "service": "\(ex.service.name)", "server": "\(ex.upstream.url)", "error": "\(error)",
                    // Whether the last attempt ran on a pooled keep-alive connection, and how many there were.
                    "reusedConnection": "\(ex.reused)", "attempts": "\(ex.attempts.count)",
                ]
            )
            failExchange(ex, with: response)
        case .sameServer:
            // A pooled connection the backend had already closed: once more on a fresh one.
            prepareResend(ex)
            ex.reused = false
            connect(ex)
        case .pickAgain(let delay):
            countFailure(ex)
            ex.failedServers.append(ObjectIdentifier(ex.upstream))
            entryPoint.logger.debug("retrying request", metadata: [
                "router": "\(ex.routerName)", "service": "\(ex.service.name)", "server": "\(ex.upstream.url)",
                "nextAttempt": "\(ex.attempts.count)", "error": "\(error)",
            ])
            prepareResend(ex)
            retry(ex, after: delay)
        }
    }

    /// The response head of an attempt, before anything of it went to the client: whether
    /// `buffering.retryExpression` sends the request again instead, or `maxResponseBodyBytes`
    /// refuses a response whose Content-Length is over it with 500. (A chunked response over the
    /// limit is not caught: responses are streamed, not buffered.)
    private func interceptsResponse(_ ex: Exchange, _ head: HTTPResponseHead) -> Bool {
        guard head.status.code >= 200 else { return false }
        if let limit = ex.attempts.policy.buffering?.maxResponseBodyBytes, limit > 0,
           let length = head.headers.first(name: "content-length").flatMap({ Int64($0) }), length > limit {
            entryPoint.logger.warning("backend response over maxResponseBodyBytes", metadata: [
                "router": "\(ex.routerName)", "server": "\(ex.upstream.url)", "contentLength": "\(length)", "limit": "\(limit)",
            ])
            failExchange(ex, with: .middleware(.plainError(.internalServerError)))
            return true
        }
        guard ex.requestEnded, case .pickAgain(let delay) = ex.attempts.afterResponse(status: Int(head.status.code)) else {
            ex.attempts.responseArrived()
            return false
        }
        entryPoint.logger.debug("retrying request", metadata: [
            "router": "\(ex.routerName)", "service": "\(ex.service.name)", "server": "\(ex.upstream.url)",
            "nextAttempt": "\(ex.attempts.count)", "status": "\(head.status.code)",
        ])
        ex.failedServers.append(ObjectIdentifier(ex.upstream))
        prepareResend(ex)
        retry(ex, after: delay)
        return true
    }

    /// Lets go of a failed attempt's connection and puts the whole request back in line to send.
    private func prepareResend(_ ex: Exchange) {
        dropBackend(ex)
        if ex.sentToBackend {
            ex.buffered = ex.attempts.replay
            ex.sentToBackend = false
        }
        ex.upstreamKeepAlive = true
        ex.switchingProtocols = nil
    }

    /// Picks a server again, after `delay`, and starts the next attempt with it.
    private func retry(_ ex: Exchange, after delay: TimeAmount) {
        let next = { [self] in
            guard case .exchange(let current) = self.state, current === ex else { return }
            guard let selection = self.pickAgain(ex) else {
                self.failExchange(ex, with: .badGateway)
                return
            }
            self.use(selection, for: ex)
            self.sendAttempt(ex)
        }
        if delay > .zero {
            context.eventLoop.assumeIsolated().scheduleTask(in: delay, next)
        } else {
            next()
        }
    }

    /// A server for the next attempt: one that has not failed in this exchange, if the service
    /// offers one within a few picks.
    private func pickAgain(_ ex: Exchange) -> ServerSelection? {
        var fallback: ServerSelection? = nil
        for _ in 0..<8 {
            guard let selection = ex.service.select(ex.requestHead.headers) else { break }
            if !ex.failedServers.contains(ObjectIdentifier(selection.upstream)) { return selection }
            if fallback == nil { fallback = selection }
        }
        return fallback
    }

    /// A failed attempt at the exchange's server, for its passive health check.
    private func countFailure(_ ex: Exchange) {
        guard let policy = ex.balancer?.passiveHealth else { return }
        if ex.upstream.health.recordFailure(policy) {
            entryPoint.logger.warning("server taken out by the passive health check", metadata: [
                "service": "\(ex.service.name)", "server": "\(ex.upstream.url)",
                "failureWindow": "\(policy.failureWindow)", "maxFailedAttempts": "\(policy.maxFailedAttempts)",
            ])
        }
    }

    // MARK: Finishing

    /// Stops the header timer and closes the exchange's backend connection, which is not
    /// reusable once an exchange ends this way.
    private func dropBackend(_ ex: Exchange) {
        ex.headerTimer?.cancel()
        ex.headerTimer = nil
        if let conn = ex.connection {
            conn.handler.delegate = nil
            conn.channel.close(promise: nil)
            ex.connection = nil
        }
    }

    private func failExchange(_ ex: Exchange, with response: LocalResponse) {
        dropBackend(ex)
        let close = !ex.clientKeepAlive || !ex.requestEnded
        state = ex.requestEnded ? .idle : .discarding(closeAfter: true)
        writeLocal(response, version: ex.clientVersion, close: close, edit: { head in ex.middlewares?.editResponse(&head) },
                   through: ex.middlewares.map { ($0.chain, $0.request, $0.chain.middlewares.count) })
        concluded(ex, status: Int(response.status.code), origin: 0, size: response.body.utf8.count)
        timeouts?.requestFinished()
        resumeClientReading()
    }

    private func respondLocally(
        _ response: LocalResponse, head: HTTPRequestHead, host: String, start: NIODeadline, wall: timespec,
        router: String, keepAlive: Bool, edit: ((inout HTTPResponseHead) -> Void)? = nil, through: PassedMiddlewares? = nil
    ) {
        // A request that still has a body coming: answer now, drop the body, and close (HTTP/1).
        let bodyFollows = !isHTTP2 && (head.headers.contains(name: "transfer-encoding")
            || (head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0) > 0)
        let close = !keepAlive || bodyFollows
        if bodyFollows { state = .discarding(closeAfter: true) }
        writeLocal(response, version: head.version, close: close && !bodyFollows, edit: edit, through: through)
        timeouts?.requestFinished()
        logLocal(status: Int(response.status.code), head: head, host: host, start: start, wall: wall, router: router,
                 size: response.body.utf8.count)
    }

    /// Access-logs a request the proxy answered itself.
    private func logLocal(status: Int, head: HTTPRequestHead, host: String, start: NIODeadline, wall: timespec, router: String, size: Int) {
        guard let accessLog = entryPoint.accessLog else { return }
        let userAgent: String = head.headers.first(name: "user-agent") ?? ""
        let referer: String = head.headers.first(name: "referer") ?? ""
        accessLog.append(record(
            method: head.method, uri: head.uri, version: head.version, host: host, start: start, wall: wall,
            status: status, origin: 0, size: size, requestBytes: 0, userAgent: userAgent, referer: referer,
            router: router, service: "", upstream: nil
        ))
    }

    /// The middlewares a request passed, whose response side a local answer goes through.
    private typealias PassedMiddlewares = (chain: MiddlewareChain, request: MiddlewareRequest, passed: Int)

    private func writeLocal(
        _ response: LocalResponse, version: HTTPVersion, close: Bool, edit: ((inout HTTPResponseHead) -> Void)? = nil,
        through middlewares: PassedMiddlewares? = nil
    ) {
        var (head, body) = response.make(version: isHTTP2 ? .http2 : version, close: close, allocator: context.channel.allocator)
        if let middlewares, middlewares.passed > 0, middlewares.chain.anyTransformsBodies {
            // Body transformers see local answers too (an error page for a 502, say); the
            // pipeline runs the head edits itself.
            let sink = LocalAnswerSink(writer: self, version: head.version, close: close)
            let pipeline = ResponsePipeline(chain: middlewares.chain, request: middlewares.request, passed: middlewares.passed, client: sink)
            pipeline.writeHead(head)
            pipeline.writeBody(body)
            pipeline.writeEnd(nil)
            return
        }
        edit?(&head)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            let ctx = context!
            done.assumeIsolated().whenComplete { _ in ctx.close(promise: nil) }
        }
    }

    /// The client went away or the handler is leaving: release what the exchange holds.
    private func abandonExchange() {
        let waiting: SuspendedRequest?
        switch state {
        case .middlewares(let suspended), .buffering(let suspended): waiting = suspended
        default: waiting = nil
        }
        if let suspended = waiting {
            let pending = suspended.plan
            state = .idle
            pending.chain.finish(pending.request, passed: pending.passed)
            logLocal(status: 499, head: pending.original, host: pending.host, start: pending.start, wall: pending.wall,
                     router: pending.routerName, size: 0)
            timeouts?.requestFinished()
            return
        }
        guard case .exchange(let ex) = state else { return }
        state = .idle
        dropBackend(ex)
        ex.flushTimer?.cancel()
        ex.flushTimer = nil
        concluded(ex, status: ex.responseStarted ? ex.status : 499, origin: ex.status, size: ex.responseBytes)
        timeouts?.requestFinished()
    }

    // MARK: Upgrades

    /// The backend agreed to switch protocols (WebSocket): forward the 101, then splice raw bytes
    /// between the two connections and take the HTTP handlers out of both pipelines.
    private func performUpgrade(_ ex: Exchange, head: HTTPResponseHead) {
        // Held locally: removing this handler below clears `self.context`.
        guard let context = self.context, let conn = ex.connection, let upstreamContext = conn.handler.context else { return }
        var response = head
        response.version = ex.clientVersion
        context.writeAndFlush(wrapOutboundOut(.head(response)), promise: nil)
        ex.status = 101
        ex.connection = nil
        conn.handler.delegate = nil
        state = .upgraded
        timeouts?.exempt()
        concluded(ex, status: 101, origin: 101, size: 0)

        let (clientGlue, upstreamGlue) = GlueHandler.matchedPair()
        let clientPipeline = context.pipeline.syncOperations
        let upstreamPipeline = upstreamContext.pipeline.syncOperations
        do {
            try clientPipeline.addHandler(clientGlue)
            try upstreamPipeline.addHandler(upstreamGlue)
            // Upstream: the response decoder goes last so bytes it already holds reach the glue.
            try upstreamPipeline.removeHandler(context: upstreamPipeline.context(handlerType: UpstreamHandler.self), promise: nil)
            try upstreamPipeline.removeHandler(context: upstreamPipeline.context(handlerType: HTTPRequestEncoder.self), promise: nil)
            try upstreamPipeline.removeHandler(
                context: upstreamPipeline.context(handlerType: ByteToMessageHandler<HTTPResponseDecoder>.self), promise: nil)
            // Client: everything HTTP, then the request decoder, whose leftover bytes are the first frames.
            try? clientPipeline.removeHandler(context: clientPipeline.context(handlerType: HTTP1ConnectionHandler.self), promise: nil)
            try clientPipeline.removeHandler(context: clientPipeline.context(handlerType: HTTPResponseEncoder.self), promise: nil)
            clientPipeline.removeHandler(context: context, promise: nil)
            try clientPipeline.removeHandler(
                context: clientPipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self), promise: nil)
            context.read()
            upstreamContext.read()
        } catch {
            entryPoint.logger.warning("upgrade failed", metadata: ["router": "\(ex.routerName)", "error": "\(error)"])
            conn.channel.close(promise: nil)
            context.close(promise: nil)
        }
    }

    // MARK: Access log

    /// The exchange is over, however it ended: tell the middlewares it passed, and access-log it.
    private func concluded(_ ex: Exchange, status: Int, origin: Int, size: Int) {
        if ex.countsLoad {
            ex.countsLoad = false
            ex.upstream.health.inFlight.wrappingSubtract(1, ordering: .relaxed)
        }
        ex.middlewares?.finish()
        guard let accessLog = entryPoint.accessLog else { return }
        accessLog.append(record(
            method: ex.method, uri: ex.uri, version: ex.clientVersion, host: ex.host, start: ex.startUptime, wall: ex.startWall,
            status: status, origin: origin, size: size, requestBytes: ex.requestBytes, userAgent: ex.userAgent, referer: ex.referer,
            router: ex.routerName, service: ex.service.name, upstream: ex.upstream
        ))
    }

    private func record(
        method: HTTPMethod, uri: String, version: HTTPVersion, host: String, start: NIODeadline, wall: timespec,
        status: Int, origin: Int, size: Int, requestBytes: Int, userAgent: String, referer: String,
        router: String, service: String, upstream: Upstream?
    ) -> AccessLogRecord {
        AccessLogRecord(
            clientHost: client.host, clientPort: client.port,
            startSeconds: wall.tv_sec, startNanoseconds: wall.tv_nsec,
            method: method.rawValue, path: uri,
            proto: isHTTP2 ? "HTTP/2.0" : "HTTP/\(version.major).\(version.minor)",
            scheme: isTLS ? "https" : "http", host: host,
            status: status, originStatus: origin, downstreamSize: size, requestSize: requestBytes,
            referer: referer, userAgent: userAgent,
            routerName: router, serviceName: service,
            serviceURL: upstream?.url ?? "", serviceAddr: upstream.map { $0.hostHeader } ?? "",
            durationNanoseconds: (NIODeadline.now() - start).nanoseconds,
            entryPoint: entryPoint.name
        )
    }
}

// MARK: Response pipeline

extension HTTPProxyHandler: ClientResponseWriter {
    /// The exchange a pipeline was made for, if it is still the connection's current one.
    private func current(_ exchange: AnyObject) -> Exchange? {
        guard case .exchange(let ex) = state, ex === exchange else { return nil }
        return ex
    }

    func pipelineHead(_ head: HTTPResponseHead, exchange: AnyObject) {
        guard let ex = current(exchange) else { return }
        var response = head
        response.version = isHTTP2 ? .http2 : ex.clientVersion
        if Int(head.status.code) != ex.status { ex.clientStatus = Int(head.status.code) }
        if isHTTP2 {
            HeaderRewriting.removeFraming(&response.headers)
        } else if !ex.clientKeepAlive && !response.headers.contains(name: "connection") {
            // A middleware that replaced the head dropped what the backend's head had.
            response.headers.add(name: "Connection", value: "close")
        }
        context.write(wrapOutboundOut(.head(response)), promise: nil)
    }

    func pipelineBody(_ body: ByteBuffer, exchange: AnyObject) {
        guard let ex = current(exchange) else { return }
        ex.responseBytes &+= body.readableBytes
        ex.unflushedBytes &+= body.readableBytes
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    }

    func pipelineEnd(_ trailers: HTTPHeaders?, exchange: AnyObject) {
        guard let ex = current(exchange) else { return }
        finishResponse(ex, trailers: trailers)
    }

    func pipelineFlush(exchange: AnyObject) {
        guard current(exchange) != nil else { return }
        context.flush()
    }

    func localHead(_ head: HTTPResponseHead, version: HTTPVersion, close: Bool) {
        guard let context else { return }
        var response = head
        response.version = version
        if isHTTP2 {
            HeaderRewriting.removeFraming(&response.headers)
        } else if close && !response.headers.contains(name: "connection") {
            response.headers.add(name: "Connection", value: "close")
        }
        context.write(wrapOutboundOut(.head(response)), promise: nil)
    }

    func localBody(_ body: ByteBuffer) {
        context?.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    }

    func localEnd(close: Bool) {
        guard let context else { return }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
