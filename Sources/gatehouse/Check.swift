import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization
import X509

/// `gatehouse check HOST --at IP:PORT`: what a client sees when it asks that address for HOST —
/// the certificate served for SNI HOST (subject, issuer, dates, whether it is Gatehouse's
/// default certificate), then the status of `GET /` (or `--path`) sent over that connection
/// with `Host: HOST` (and the `Location` of a redirection), and which route answered (matched
/// against the admin API's routes when it is reachable; `unknown` otherwise).
///
/// With `--http` the address is a plain-HTTP entry point: no TLS, no certificate part; the
/// request, status, `Location` and route are shown the same way, and an entry point that
/// redirects (`http.redirections.entryPoint`) is named as the route. Without `--http`, a peer
/// that answers the TLS handshake in plain HTTP is reported as such, with a hint to use `--http`.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connect to an address with SNI HOST: show the served certificate, request a path with that host, and say which route answered.",
        discussion: """
            Over TLS by default. With --http, the address is a plain-HTTP entry point: no certificate is shown; \
            the status, the Location of a redirection and the route that answered are (an entry point \
            redirection such as web → websecure is named as the route). If the TLS handshake meets a peer \
            that speaks plain HTTP, check says so and suggests --http.
            """
    )

    @Argument(help: "The host name to ask for (SNI and Host header).")
    var host: String

    @Option(name: .long, help: "The gateway's address, IP:PORT ([IPv6]:PORT).")
    var at: String

    @Option(name: .long, help: "The path to request.")
    var path = "/"

    @Flag(name: .long, help: "Speak plain HTTP to the address (a non-TLS entry point): no certificate part.")
    var http = false

    @OptionGroup var api: AdminAPIOptions

    /// The subject common name of Gatehouse's default certificate (TLS.DefaultCertificate).
    static let defaultCertificateName = "Gatehouse default certificate"

    func validate() throws {
        guard Self.split(at) != nil else { throw ValidationError("--at expects IP:PORT, e.g. 127.0.0.1:443 or [::1]:443") }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /") }
    }

    static func split(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        guard let (ip, port) = Self.split(at) else { throw ExitCode(2) }
        let exchange: Exchange
        do {
            exchange = try await Self.exchange(ip: ip, port: port, host: host, path: path, tls: !http)
        } catch {
            if http {
                print("\(at): HTTP connection for \(host) failed: \(error)")
            } else if Self.isPlainHTTPPeer(error) {
                print("\(at): TLS connection for \(host) failed: the peer answered in plain HTTP, not TLS; use --http for a plain-HTTP entry point")
            } else {
                print("\(at): TLS connection for \(host) failed: \(error)")
            }
            throw ExitCode(1)
        }
        if http {
            print("connection: plain HTTP (no certificate)")
        } else if let certificate = exchange.certificate {
            print("certificate:")
            print("  subject:    \(certificate.subject)")
            print("  issuer:     \(certificate.issuer)")
            print("  not before: \(certificate.notValidBefore.formatted(.iso8601))")
            print("  not after:  \(certificate.notValidAfter.formatted(.iso8601))")
            let names = certificate.subject.description.contains("CN=\(Self.defaultCertificateName)")
            print("  default certificate: \(names ? "yes (no certificate for \(host) is served here)" : "no")")
        } else {
            print("certificate: none presented")
        }
        print("request: GET \(path) Host: \(host)")
        print("  status: \(exchange.statusLine ?? "no response")")
        if let location = exchange.location {
            print("  location: \(location)")
        }
        print("  route:  \(await route(exchange: exchange, port: port))")
    }

    /// Whether a TLS handshake failed because the peer answered with plain text (BoringSSL's
    /// "wrong version number": an HTTP status line is no TLS record).
    static func isPlainHTTPPeer(_ error: any Error) -> Bool {
        let text = String(describing: error).lowercased()
        return text.contains("wrong_version_number") || text.contains("wrong version number")
    }

    /// The route that answered, from the admin API's routes and entry points.
    func route(exchange: Exchange, port: Int) async -> String {
        let client = api.client()
        guard await client.isReachable() else { return "unknown (no admin API at \(client.address))" }
        let rows: [[String: Any]]
        let entryPoints: [[String: Any]]
        do {
            rows = try await client.call(.GET, "/api/v1/routes") as? [[String: Any]] ?? []
            entryPoints = try await client.call(.GET, "/api/entrypoints") as? [[String: Any]] ?? []
        } catch {
            return "unknown (\(error))"
        }
        let listeners = entryPoints.filter { entry in
            guard let address = entry["address"] as? String else { return false }
            return address.hasSuffix(":\(port)") || address.hasSuffix(":\(port)/tcp")
        }
        let listening = Set(listeners.compactMap { $0["name"] as? String })
        if http, let redirect = Self.redirection(listeners) {
            // The entry point's redirection answers every plain request before any router.
            return "\(redirect) (entry point redirection)"
        }
        let candidates = rows.filter { row in
            guard row["type"] as? String == "http", row["status"] as? String == "enabled" else { return false }
            // Plain requests reach only routers without TLS; TLS ones only routers with it.
            guard (row["tls"] as? String == "none") == http else { return false }
            let points = Set(row["entryPoints"] as? [String] ?? [])
            guard listening.isEmpty || !points.isDisjoint(with: listening) else { return false }
            return Self.matches(host: host, names: row["hosts"] as? [String] ?? [], patterns: row["hostPatterns"] as? [String] ?? [])
        }.compactMap { $0["name"] as? String }
        let gatewayNotFound = exchange.statusCode == 404 && exchange.body.hasPrefix("404 page not found")
        switch candidates.count {
        case 0:
            return gatewayNotFound ? "none (the gateway answered 404: no router matches)" : "none of the routers names \(host)"
        case 1:
            return gatewayNotFound ? "none (\(candidates[0]) names \(host) but its other matchers refused \(path))" : candidates[0]
        default:
            return gatewayNotFound ? "none (404 from the gateway)" : "one of \(candidates.joined(separator: ", ")) (their rules differ past the host)"
        }
    }

    /// The internal router of the first of `entryPoints` (as `/api/entrypoints` lists them) that
    /// redirects: `web-to-websecure@internal`, as the gateway names it.
    static func redirection(_ entryPoints: [[String: Any]]) -> String? {
        for entry in entryPoints {
            guard let name = entry["name"] as? String, let http = entry["http"] as? [String: Any],
                  let redirections = http["redirections"] as? [String: Any],
                  let redirect = redirections["entryPoint"] as? [String: Any] else { continue }
            return "\(name)-to-\(redirect["to"] as? String ?? "")@internal"
        }
        return nil
    }

    /// Whether `host` is one of `names` (case-insensitive) or matches one of the `patterns`
    /// (Go regular expressions, read as ICU ones).
    static func matches(host: String, names: [String], patterns: [String]) -> Bool {
        let wanted = host.lowercased()
        if names.contains(where: { $0.lowercased() == wanted }) { return true }
        return patterns.contains { pattern in
            let anchored = pattern.hasPrefix("^") ? pattern : "^(?:\(pattern))$"
            return (try? NSRegularExpression(pattern: anchored, options: [.caseInsensitive]))
                .map { $0.firstMatch(in: wanted, range: NSRange(wanted.startIndex..., in: wanted)) != nil } ?? false
        }
    }

    /// What came back over one connection.
    struct Exchange: Sendable {
        var certificate: Certificate?
        var statusLine: String?
        var statusCode: Int?
        /// The `Location` header, when the answer has one.
        var location: String?
        var body: String
    }

    /// Connects to `ip:port` — with TLS and SNI `host` (no verification: this shows what is
    /// served) unless `tls` is false — sends `GET path` with `Host: host` and
    /// `Connection: close`, reads the answer.
    static func exchange(ip: String, port: Int, host: String, path: String, tls useTLS: Bool = true) async throws -> Exchange {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        tls.applicationProtocols = ["http/1.1"]
        let context = try NIOSSLContext(configuration: tls)
        let serverName = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        let firstError = FirstError()
        let (channel, served) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: ip, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let catcher = PeerCertificateCatcher(promise: channel.eventLoop.makePromise(), firstError: firstError)
                    guard useTLS else {
                        catcher.promise.succeed(nil)
                        return (try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel), catcher.promise.futureResult)
                    }
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(catcher)
                    return (try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel), catcher.promise.futureResult)
                }
            }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: gatehouse-check\r\nAccept: */*\r\nConnection: close\r\n\r\n"
        let answer: (ByteBuffer, [UInt8]?)
        do {
            answer = try await withThrowingTaskGroup(of: (ByteBuffer, [UInt8]?).self) { group in
                group.addTask {
                    try await channel.executeThenClose { inbound, outbound in
                        try await outbound.write(ByteBuffer(string: request))
                        var collected = ByteBuffer()
                        do {
                            for try await var chunk in inbound {
                                collected.writeBuffer(&chunk)
                                if collected.readableBytes > 64 * 1024 { break }
                            }
                        } catch let error as NIOSSLError where error == .uncleanShutdown {
                            // Servers may close without close_notify after Connection: close.
                        }
                        // Taken when the handshake completed: a server that answers and closes at
                        // once leaves no channel to ask afterwards.
                        return (collected, try? await served.get())
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(15))
                    throw CancellationError()
                }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
        } catch {
            // A failed handshake closes the channel, and the write or read then fails with
            // "I/O on closed channel": the handshake's error is the one that says why.
            throw firstError.value ?? error
        }
        let (raw, der) = answer
        var exchange = Exchange(body: "")
        if let der {
            exchange.certificate = try? Certificate(derEncoded: der)
        }
        let text = String(buffer: raw)
        if let lineEnd = text.range(of: "\r\n") {
            let statusLine = String(text[..<lineEnd.lowerBound])
            exchange.statusLine = statusLine
            exchange.statusCode = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        if let bodyStart = text.range(of: "\r\n\r\n") {
            exchange.body = String(text[bodyStart.upperBound...])
            let head = text[..<bodyStart.lowerBound].components(separatedBy: "\r\n").dropFirst()
            exchange.location = head.lazy.compactMap { line -> String? in
                guard let colon = line.firstIndex(of: ":"),
                      line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "location" else { return nil }
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }.first
        }
        return exchange
    }
}

/// Takes the server's certificate the moment the TLS handshake completes.
private final class PeerCertificateCatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let promise: EventLoopPromise<[UInt8]?>
    let firstError: FirstError
    private var done = false

    init(promise: EventLoopPromise<[UInt8]?>, firstError: FirstError) {
        self.promise = promise
        self.firstError = firstError
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A close without close_notify after the answer is no failure (see `exchange`).
        if (error as? NIOSSLError) != .uncleanShutdown { firstError.record(error) }
        context.fireErrorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate()
            finish(try? certificate?.toDERBytes())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(nil)
        context.fireChannelInactive()
    }

    private func finish(_ der: [UInt8]?) {
        guard !done else { return }
        done = true
        promise.succeed(der)
    }
}

/// The first error a connection's pipeline saw (the TLS handshake's, when it failed), kept for
/// the caller after the channel is gone.
private final class FirstError: Sendable {
    private let box = Mutex<(any Error)?>(nil)

    /// The error recorded first, if any.
    var value: (any Error)? { box.withLock { $0 } }

    /// Keeps `error` unless one was kept before.
    func record(_ error: any Error) {
        box.withLock { if $0 == nil { $0 = error } }
    }
}
