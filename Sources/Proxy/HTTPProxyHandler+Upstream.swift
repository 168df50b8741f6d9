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
    // MARK: Upstream connection

    func connect(_ ex: Exchange) {
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

    func isTimeout(_ error: any Error) -> Bool {
        if case .connectTimeout = error as? ChannelError { return true }
        return false
    }

    func attach(_ conn: UpstreamConnection, to ex: Exchange) {
        ex.attempts.startRecording(ifNeeded: ex.reused, received: ex.buffered)
        ex.sentToBackend = true
        ex.connection = conn
        conn.requestCount += 1
        conn.handler.delegate = self
        guard conn.handler.context != nil else {
            upstreamFailed(UpstreamClosedError())
            return
        }
        conn.handler.send(.head(ex.forwardHead))
        for part in ex.buffered {
            conn.handler.send(part)
        }
        ex.buffered = []
        if inClientRead {
            // The request's end usually comes in the same read: one write(2) for both, at
            // channelReadComplete.
            upstreamNeedsFlush = true
        } else {
            conn.handler.flush()
        }
        if ex.requestEnded { armHeaderTimer(ex) }
        resumeClientReading()
    }

    func armHeaderTimer(_ ex: Exchange) {
        guard let timeout = ex.upstream.transport.responseHeaderTimeout, !ex.responseStarted, ex.headerTimer == nil else { return }
        ex.headerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            guard case .exchange(let current) = self.state, current === ex, !ex.responseStarted else { return }
            self.attemptFailed(ex, with: .gatewayTimeout, error: ResponseHeaderTimeoutError(timeout: timeout), connectionBroke: false)
        }
    }

    // MARK: UpstreamDelegate

    func upstreamResponseHead(_ head: consuming HTTPResponseHead) {
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
        ex.upstreamKeepAlive = HeaderRewriting.isKeepAlive(head.headers, version: head.version)
        ex.flushInterval = Self.flushInterval(ex.balancer?.flushInterval, head: head)
        // The head's last use: taken over, not copied, so that editing its headers and version
        // copies neither (each would, with the head still referenced).
        var response = head
        let version = isHTTP2 ? HTTPVersion.http2 : ex.clientVersion
        if response.version != version { response.version = version }
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
        if let applied = ex.middlewares, applied.transformsBodies {
            let pipeline = applied.makePipeline(client: ClientResponseSink(writer: self, exchange: ex))
            ex.pipeline = pipeline
            pipeline.writeHead(response)
            return
        }
        ex.middlewares?.editResponse(&response)
        writeToClient(.head(response))
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
        writeToClient(.body(.byteBuffer(body)))
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
    func finishResponse(_ ex: Exchange, trailers: HTTPHeaders?) {
        let keepClient = ex.clientKeepAlive && (ex.requestEnded || isHTTP2)
        state = ex.requestEnded || isHTTP2 ? .idle : .discarding(closeAfter: true)
        // A promise only when the connection closes after the end: none per keep-alive request.
        let written: EventLoopPromise<Void>? = keepClient ? nil : context.eventLoop.makePromise()
        writeToClient(.end(trailers), promise: written)
        flushClientConnection()
        // After the write: a quiescing connection closes when its last request finishes, and a
        // pipelined request that the write let in has been counted by then.
        concluded(ex, status: ex.clientStatus == 0 ? ex.status : ex.clientStatus, origin: ex.status, size: ex.responseBytes)
        timeouts?.requestFinished()
        if let written {
            let ctx = context!
            written.futureResult.assumeIsolated().whenComplete { _ in ctx.close(promise: nil) }
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

    func flushClient(_ ex: Exchange) {
        ex.flushTimer?.cancel()
        ex.flushTimer = nil
        ex.unflushedBytes = 0
        if let pipeline = ex.pipeline {
            pipeline.flush()
        } else {
            flushClientConnection()
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
    func attemptFailed(_ ex: Exchange, with response: LocalResponse, error: any Error, connectionBroke: Bool = true) {
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
    /// refuses a response whose Content-Length is over it with 500. (A response of unannounced
    /// length is held by the buffering middleware (its ResponseBuffer).)
    func interceptsResponse(_ ex: Exchange, _ head: HTTPResponseHead) -> Bool {
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
    func prepareResend(_ ex: Exchange) {
        dropBackend(ex)
        if ex.sentToBackend {
            ex.buffered = ex.attempts.replay
            ex.sentToBackend = false
        }
        ex.upstreamKeepAlive = true
        ex.switchingProtocols = nil
    }

    /// Picks a server again, after `delay`, and starts the next attempt with it.
    func retry(_ ex: Exchange, after delay: TimeAmount) {
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
    func pickAgain(_ ex: Exchange) -> ServerSelection? {
        var fallback: ServerSelection? = nil
        for _ in 0..<8 {
            guard let selection = ex.service.select(ex.requestHead.headers) else { break }
            if !ex.failedServers.contains(ObjectIdentifier(selection.upstream)) { return selection }
            if fallback == nil { fallback = selection }
        }
        return fallback
    }

    /// A failed attempt at the exchange's server, for its passive health check.
    func countFailure(_ ex: Exchange) {
        guard let policy = ex.balancer?.passiveHealth else { return }
        if ex.upstream.health.recordFailure(policy) {
            entryPoint.logger.warning("server taken out by the passive health check", metadata: [
                "service": "\(ex.service.name)", "server": "\(ex.upstream.url)",
                "failureWindow": "\(policy.failureWindow)", "maxFailedAttempts": "\(policy.maxFailedAttempts)",
            ])
        }
    }

}
