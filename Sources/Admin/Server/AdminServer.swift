import Config
import Foundation
import Hummingbird
import Logging
import NIOCore
import Storage

/// The admin HTTP API on its own listener (Hummingbird 2): bearer tokens with scopes, browser
/// protection, `/ping`, the OpenAPI document and Traefik's read-only API.
///
/// ```swift
/// let server = AdminServer(address: try config.listenAddress, tokens: storage, runtime: view, logger: logger)
/// let running = try await server.start()   // listening when this returns
/// …
/// await running.stop()
/// ```
public final class AdminServer: Sendable {
    /// Where the server listens.
    public let address: AdminListenAddress
    private let tokens: any TokenStore
    private let handlers: AdminHandlers
    private let origins: ListenerOrigins
    private let logger: Logger

    /// A server answering from `runtime`, checking tokens against `tokens`.
    ///
    /// - Parameters:
    ///   - certificates: the certificate operations (`/api/v1/certificates…`); without them
    ///     those routes answer 503 and the routes monitor shows no certificates.
    ///   - audit: the audit log (`/api/v1/audit`), where every change made through the API is
    ///     recorded; without it that route answers 503.
    ///   - expose: the expose chain (`/api/v1/expose`, `/api/v1/operations/…`,
    ///     `/api/v1/changes…`); without it those routes answer 503.
    ///   - dnsCredentials: the DNS credential operations (`/api/v1/dns-credentials…`); without
    ///     them those routes answer 503.
    public init(
        address: AdminListenAddress, tokens: any TokenStore, runtime: any RuntimeView,
        certificates: (any CertificateControl)? = nil, audit: (any AuditTrail)? = nil, expose: ExposeService? = nil,
        dnsCredentials: (any DNSCredentialControl)? = nil, logger: Logger
    ) {
        self.address = address
        self.tokens = tokens
        self.handlers = AdminHandlers(runtime: runtime, certificates: certificates, audit: audit, expose: expose, dnsCredentials: dnsCredentials)
        self.logger = logger
        switch address {
        case .tcp(let host, let port): origins = ListenerOrigins(host: host, port: port)
        case .unix: origins = ListenerOrigins(host: nil, port: nil)
        }
    }

    /// The router with every route of ``AdminRoute/all`` and its guards.
    public func makeRouter() -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        router.add(middleware: OriginGuard(origins: origins))
        let handlers = self.handlers
        for route in AdminRoute.all {
            let endpoint = route.endpoint
            let handler: @Sendable (Request, AdminRequestContext) async throws -> Response = { request, context in
                await handlers.respond(to: endpoint, request: request, context: context)
            }
            let path = RouterPath(route.path)
            switch route.access {
            case .open:
                router.on(path, method: route.method, use: handler)
            case .anyToken:
                router.group().add(middleware: BearerAuthentication(tokens: tokens))
                    .on(path, method: route.method, use: handler)
            case .scope(let scope):
                router.group().add(middleware: BearerAuthentication(tokens: tokens))
                    .add(middleware: ScopeRequirement(scope: scope))
                    .on(path, method: route.method, use: handler)
            }
        }
        return router
    }

    /// The Hummingbird application (for ``start()``, and for tests with HummingbirdTesting).
    public func makeApplication(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let bind: BindAddress = switch address {
        case .tcp(let host, let port): .hostname(host, port: port)
        case .unix(let path): .unixDomainSocket(path: path)
        }
        return Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: bind, serverName: "gatehouse"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    /// Starts listening and returns once the listener is bound.
    ///
    /// A unix socket left by an earlier run is replaced; the new one gets mode 0600.
    ///
    /// - Throws: ``AdminServerError`` when the address cannot be bound.
    public func start() async throws -> RunningAdminServer {
        if case .unix(let path) = address {
            try Self.removeStaleSocket(path)
        }
        let (events, continuation) = AsyncStream<StartEvent>.makeStream()
        let origins = self.origins
        let app = makeApplication { channel in
            if let local = channel.localAddress, let port = local.port, let ip = local.ipAddress {
                origins.record(host: ip, port: port)
            }
            continuation.yield(.listening(channel.localAddress))
        }
        let task = Task {
            do {
                try await app.run()
                continuation.yield(.stopped(nil))
            } catch {
                continuation.yield(.stopped(error))
            }
            continuation.finish()
        }
        for await event in events {
            switch event {
            case .listening(let local):
                let shown: String
                if case .unix(let path) = address {
                    chmod(path, 0o600)
                    shown = "unix:\(path)"
                } else if let local, let ip = local.ipAddress, let port = local.port {
                    shown = AdminListenAddress.tcp(host: ip, port: port).description
                } else {
                    shown = address.description
                }
                logger.info("admin API listening", metadata: ["address": "\(shown)"])
                return RunningAdminServer(address: shown, port: local?.port, task: task)
            case .stopped(let error):
                throw AdminServerError(address: address.description, reason: error.map { "\($0)" } ?? "the server stopped")
            }
        }
        throw AdminServerError(address: address.description, reason: "the server stopped")
    }

    private enum StartEvent: Sendable {
        case listening(SocketAddress?)
        case stopped((any Error)?)
    }

    private static func removeStaleSocket(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw AdminServerError(address: "unix:\(path)", reason: "a file that is not a socket is in the way")
        }
        unlink(path)
    }
}

/// A started ``AdminServer``.
public struct RunningAdminServer: Sendable {
    /// The bound address, e.g. `127.0.0.1:41234` or `unix:/run/gatehouse/admin.sock`.
    public let address: String
    /// The bound TCP port; `nil` for a unix socket.
    public let port: Int?
    let task: Task<Void, Never>

    /// Stops listening, closes connections and returns when the server has stopped.
    public func stop() async {
        task.cancel()
        await task.value
    }
}
