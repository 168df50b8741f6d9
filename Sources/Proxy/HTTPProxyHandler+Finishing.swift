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
    // MARK: Finishing

    /// Stops the header timer and closes the exchange's backend connection, which is not
    /// reusable once an exchange ends this way.
    func dropBackend(_ ex: Exchange) {
        ex.headerTimer?.cancel()
        ex.headerTimer = nil
        if let conn = ex.connection {
            conn.handler.delegate = nil
            conn.channel.close(promise: nil)
            ex.connection = nil
        }
    }

    func failExchange(_ ex: Exchange, with response: LocalResponse) {
        dropBackend(ex)
        let close = !ex.clientKeepAlive || !ex.requestEnded
        state = ex.requestEnded ? .idle : .discarding(closeAfter: true)
        writeLocal(response, version: ex.clientVersion, close: close, edit: { head in ex.middlewares?.editResponse(&head) },
                   through: ex.middlewares.map { ($0.chain, $0.request, $0.chain.middlewares.count) })
        concluded(ex, status: Int(response.status.code), origin: 0, size: response.body.utf8.count)
        timeouts?.requestFinished()
        resumeClientReading()
    }

    func respondLocally(
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
    func logLocal(status: Int, head: HTTPRequestHead, host: String, start: NIODeadline, wall: timespec, router: String, size: Int) {
        entryPoint.metrics?.recordRequest(
            entryPoint: entryPoint.name, router: router, service: "", code: status, method: head.method, upgraded: false,
            seconds: Double((NIODeadline.now() - start).nanoseconds) / 1e9
        )
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
    typealias PassedMiddlewares = (chain: MiddlewareChain, request: MiddlewareRequest, passed: Int)

    func writeLocal(
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
        writeToClient(.head(head))
        writeToClient(.body(.byteBuffer(body)))
        let done: EventLoopPromise<Void>? = close ? context.eventLoop.makePromise() : nil
        writeToClient(.end(nil), promise: done)
        flushClientConnection()
        if let done {
            let ctx = context!
            done.futureResult.assumeIsolated().whenComplete { _ in ctx.close(promise: nil) }
        }
    }

    /// The client went away or the handler is leaving: release what the exchange holds.
    func abandonExchange() {
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
    func performUpgrade(_ ex: Exchange, head: HTTPResponseHead) {
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
            // Client first: the proxy handler, then the connection handler, which passes on the
            // bytes after the request (the new protocol's first) through the glue to the backend.
            clientPipeline.removeHandler(context: context, promise: nil)
            try? clientPipeline.removeHandler(context: clientPipeline.context(handlerType: HTTP1ConnectionHandler.self), promise: nil)
            // Then the backend's HTTP handler passes on the bytes after the 101, to a client
            // pipeline with nothing HTTP left in it.
            try upstreamPipeline.removeHandler(context: upstreamPipeline.context(handlerType: UpstreamHandler.self), promise: nil)
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
    func concluded(_ ex: Exchange, status: Int, origin: Int, size: Int) {
        if ex.countsLoad {
            ex.countsLoad = false
            ex.upstream.health.inFlight.wrappingSubtract(1, ordering: .relaxed)
        }
        ex.middlewares?.finish()
        entryPoint.metrics?.recordRequest(
            entryPoint: entryPoint.name, router: ex.routerName, service: ex.service.name, code: status, method: ex.method,
            upgraded: status == 101, seconds: Double((NIODeadline.now() - ex.startUptime).nanoseconds) / 1e9
        )
        guard let accessLog = entryPoint.accessLog else { return }
        accessLog.append(record(
            method: ex.method, uri: ex.uri, version: ex.clientVersion, host: ex.host, start: ex.startUptime, wall: ex.startWall,
            status: status, origin: origin, size: size, requestBytes: ex.requestBytes, userAgent: ex.userAgent, referer: ex.referer,
            router: ex.routerName, service: ex.service.name, upstream: ex.upstream
        ))
    }

    func record(
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
