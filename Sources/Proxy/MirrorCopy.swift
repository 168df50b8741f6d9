import Logging
import Middlewares
import NIOCore
import NIOHTTP1

/// The copy of one request for the mirrors a `mirroring` service chose for it.
///
/// The proxy hands it the request's parts as they arrive from the client; when the request has
/// ended, ``send(pool:logger:)`` starts one ``MirrorSender`` per mirror, off the client's path: the
/// main exchange never waits for a mirror, and a mirror that is slow, down or broken changes
/// nothing for the client. A body past the service's `maxBodySize` cancels the copies. The parts
/// are references to the same buffers the main exchange forwards, not copies of the bytes.
final class MirrorCopy {
    private let mirroring: Mirroring
    private let targets: [Int]
    private let head: HTTPRequestHead
    private var parts: [HTTPClientRequestPart] = []
    private var bodyBytes = 0
    private var hadBody = false
    /// The body outgrew `maxBodySize`: nothing is sent.
    private(set) var isCancelled = false

    /// Copies of a request with `head` (as the router's middlewares left it) for the mirrors at
    /// `targets`; `nil` when no mirror takes this request.
    init?(_ mirroring: Mirroring, head: HTTPRequestHead) {
        let targets = mirroring.nextCopies()
        guard !targets.isEmpty else { return nil }
        self.mirroring = mirroring
        self.targets = targets
        self.head = head
    }

    /// Adds a part of the request received from the client.
    func add(_ part: HTTPClientRequestPart) {
        guard !isCancelled else { return }
        switch part {
        case .body(.byteBuffer(let buffer)):
            hadBody = true
            bodyBytes += buffer.readableBytes
            if !mirroring.allowsBody(bodyBytes) {
                isCancelled = true
                parts = []
                return
            }
            if mirroring.mirrorBody { parts.append(part) }
        case .body, .head:
            break
        case .end:
            parts.append(part)
        }
    }

    /// Sends the copies (the request has ended).
    func send(pool: UpstreamPool, logger: Logger) {
        guard !isCancelled else { return }
        for index in targets {
            let service = mirroring.targets[index].service
            guard let selection = service.select(head.headers) else {
                logger.debug("mirror has no available server", metadata: ["mirror": "\(service.name)"])
                continue
            }
            var forward = head
            let upstream = selection.upstream
            if !upstream.pathPrefix.isEmpty { forward.uri = upstream.pathPrefix + forward.uri }
            if !selection.balancer.passHostHeader {
                forward.headers.replaceOrAdd(name: "Host", value: upstream.hostHeader)
            }
            if !mirroring.mirrorBody {
                forward.headers.remove(name: "content-length")
                forward.headers.remove(name: "transfer-encoding")
                if hadBody { forward.headers.add(name: "Content-Length", value: "0") }
            }
            MirrorSender(head: forward, parts: parts, upstream: upstream, mirror: service.name, pool: pool, logger: logger).start()
        }
        parts = []
    }
}

/// Sends one copy of a request to a mirror server over a pooled connection and discards the
/// answer. It keeps itself alive until the exchange is over, and gives up after
/// ``MirrorSender/timeLimit`` so that a mirror that never answers holds no connection for long.
final class MirrorSender: UpstreamDelegate {
    /// The longest a copy may take, connection to end of response.
    static let timeLimit: TimeAmount = .seconds(30)

    private let head: HTTPRequestHead
    private let parts: [HTTPClientRequestPart]
    private let upstream: Upstream
    private let mirror: String
    private let pool: UpstreamPool
    private let logger: Logger
    private var connection: UpstreamConnection?
    private var reused = false
    private var retried = false
    private var keepAlive = true
    private var timer: Scheduled<Void>?
    /// Holds this sender while its exchange runs (the connection's handler holds it weakly).
    private var running: MirrorSender?

    init(head: HTTPRequestHead, parts: [HTTPClientRequestPart], upstream: Upstream, mirror: String, pool: UpstreamPool, logger: Logger) {
        self.head = head
        self.parts = parts
        self.upstream = upstream
        self.mirror = mirror
        self.pool = pool
        self.logger = logger
    }

    /// Starts the exchange; must be called on the pool's event loop.
    func start() {
        running = self
        timer = pool.eventLoop.assumeIsolated().scheduleTask(in: Self.timeLimit) { [self] in
            self.finish(error: "time limit of \(Self.timeLimit.nanoseconds / 1_000_000_000)s passed")
        }
        if let conn = pool.takeIdle(for: upstream) {
            reused = true
            attach(conn)
        } else {
            connect()
        }
    }

    private func connect() {
        reused = false
        pool.connect(to: upstream).assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let conn):
                guard self.running != nil else {
                    self.pool.release(conn, transport: self.upstream.transport)
                    return
                }
                self.attach(conn)
            case .failure(let error):
                self.finish(error: "\(error)")
            }
        }
    }

    private func attach(_ conn: UpstreamConnection) {
        connection = conn
        conn.requestCount += 1
        conn.handler.delegate = self
        guard conn.handler.context != nil else {
            upstreamFailed(UpstreamClosedError())
            return
        }
        conn.handler.send(.head(head))
        for part in parts { conn.handler.send(part) }
        conn.handler.flush()
    }

    func upstreamResponseHead(_ head: consuming HTTPResponseHead) {
        keepAlive = HeaderRewriting.isKeepAlive(head.headers, version: head.version)
    }

    func upstreamResponseBody(_ body: ByteBuffer) {}

    func upstreamResponseEnd(_ trailers: HTTPHeaders?) {
        guard let conn = connection else { return }
        connection = nil
        if keepAlive {
            pool.release(conn, transport: upstream.transport)
        } else {
            conn.handler.delegate = nil
            conn.channel.close(promise: nil)
        }
        finish(error: nil)
    }

    func upstreamReadComplete() {}

    func upstreamWritabilityChanged(isWritable: Bool) {}

    func upstreamFailed(_ error: any Error) {
        if let conn = connection {
            conn.handler.delegate = nil
            conn.channel.close(promise: nil)
            connection = nil
        }
        if reused && !retried && running != nil {
            // A pooled connection the mirror had already closed: once more on a fresh one.
            retried = true
            connect()
            return
        }
        finish(error: "\(error)")
    }

    var clientIsWritable: Bool { true }

    private func finish(error: String?) {
        guard running != nil else { return }
        timer?.cancel()
        timer = nil
        if let conn = connection {
            conn.handler.delegate = nil
            conn.channel.close(promise: nil)
            connection = nil
        }
        if let error {
            logger.debug("mirror copy failed", metadata: ["mirror": "\(mirror)", "server": "\(upstream.url)", "error": "\(error)"])
        }
        running = nil
    }
}
