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
    // MARK: Routing

    func startRequest(_ head: HTTPRequestHead) {
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
        let keepAlive = isHTTP2 || HeaderRewriting.isKeepAlive(head.headers, version: head.version)
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
            // Set only when they differ: each setter copies the head's storage.
            if forward.version != .http1_1 { forward.version = .http1_1 }
            if forward.uri != path { forward.uri = path }
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
                                           clientCertificate: client.certificate, receivedAt: start),
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
    func advance(_ plan: ForwardPlan, _ step: MiddlewareChain.Step) {
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
    func answer(_ pending: ForwardPlan, with response: LocalResponse) {
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
    func collectBody(_ plan: ForwardPlan) {
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
    func forwardToService(_ pending: ForwardPlan) {
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
    func use(_ selection: ServerSelection, for ex: Exchange) {
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
    func sendAttempt(_ ex: Exchange) {
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
            // Bytes, not characters: no grapheme breaking per request, and a space followed by a
            // combining mark is refused too.
            if value.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "@") }) {
                return "invalid Host header"
            }
        }
        if count > 1 { return "more than one Host header" }
        if count == 0 && head.version.major == 1 && head.version.minor >= 1 { return "missing Host header" }
        return nil
    }

    func redirectLocation(_ redirect: SchemeRedirect, host: String, path: String) -> String {
        let name = HostAndPort(host).host
        let defaultPort = redirect.scheme == "https" ? 443 : 80
        if let port = redirect.port, port != defaultPort {
            return "\(redirect.scheme)://\(name):\(port)\(path)"
        }
        return "\(redirect.scheme)://\(name)\(path)"
    }

}
