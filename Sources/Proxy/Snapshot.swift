import Middlewares
import NIOConcurrencyHelpers
import Routing

/// What a matched router does with a request.
public struct RouteTarget: Sendable {
    /// What happens to a matched request.
    public enum Action: Sendable {
        /// Proxy to one of the service's servers.
        case forward(Service)
        /// Answer with a redirect (entry point `http.redirections`).
        case redirect(SchemeRedirect)
    }

    /// The router's name as shown in logs, e.g. `api@file`.
    public let routerName: String
    public let action: Action
    /// The router's middlewares, built with the snapshot.
    public let middlewares: MiddlewareChain

    public init(routerName: String, action: Action, middlewares: MiddlewareChain = .empty) {
        self.routerName = routerName
        self.action = action
        self.middlewares = middlewares
    }

    /// The service's name, or an empty string for redirects.
    var serviceName: String {
        if case .forward(let service) = action { return service.name }
        return ""
    }
}

/// A scheme redirect, e.g. every `http://` request on `web` to `https://` on `websecure`'s port.
public struct SchemeRedirect: Sendable {
    public let scheme: String
    /// The port to put in the Location; `nil` keeps none (the scheme's default port).
    public let port: Int?
    /// Permanent redirects answer 301 (308 for methods other than GET/HEAD); temporary 302 (307).
    public let permanent: Bool

    public init(scheme: String, port: Int?, permanent: Bool) {
        self.scheme = scheme
        self.port = port
        self.permanent = permanent
    }
}

/// The routers of one entry point: one table for plaintext connections, one for TLS ones
/// (a router with `tls` only answers on TLS connections, as in Traefik), and the TCP routers,
/// which see a connection before the HTTP ones.
public struct EntryPointRoutes: Sendable {
    public let plain: RouteTable<RouteTarget>
    public let secure: RouteTable<RouteTarget>
    /// The entry point's TCP routers.
    public let tcp: TCPRoutes
    /// The TCP router that takes every connection at once, without waiting for the client's
    /// first bytes (so server-speaks-first protocols such as SMTP work): set when the entry point
    /// has a catch-all plaintext TCP router (`HostSNI(`*`)`) and no HTTP router and no TLS TCP
    /// router, as in Traefik.
    public let forwardAtOnce: TCPRouteTarget?

    /// The tables of one entry point; `tcp` defaults to none.
    public init(plain: RouteTable<RouteTarget>, secure: RouteTable<RouteTarget>, tcp: TCPRoutes = .empty) {
        self.plain = plain
        self.secure = secure
        self.tcp = tcp
        if plain.count == 0, secure.count == 0, tcp.secure.count == 0 {
            self.forwardAtOnce = tcp.catchAllPlain
        } else {
            self.forwardAtOnce = nil
        }
    }

    public static let empty = EntryPointRoutes(plain: RouteTable([]), secure: RouteTable([]))
}

/// An immutable view of everything the data plane serves. A new snapshot is built off the request
/// path and swapped in atomically; a request reads the current one once, at its start.
public struct RuntimeSnapshot: Sendable {
    public let generation: Int
    public let entryPoints: [String: EntryPointRoutes]
    /// The UDP route of each UDP entry point that has one (read when a UDP session opens).
    public let udp: [String: UDPRoute]

    public init(generation: Int, entryPoints: [String: EntryPointRoutes], udp: [String: UDPRoute] = [:]) {
        self.generation = generation
        self.entryPoints = entryPoints
        self.udp = udp
    }

    public static let empty = RuntimeSnapshot(generation: 0, entryPoints: [:])
}

/// The swappable holder of the current snapshot, shared by every connection.
public final class SnapshotHolder: Sendable {
    private let box: NIOLockedValueBox<RuntimeSnapshot>

    public init(_ initial: RuntimeSnapshot = .empty) {
        self.box = NIOLockedValueBox(initial)
    }

    /// The snapshot in force now.
    public var current: RuntimeSnapshot { box.withLockedValue { $0 } }

    /// Replaces the snapshot; requests already running keep the one they started with.
    public func replace(with snapshot: RuntimeSnapshot) {
        box.withLockedValue { $0 = snapshot }
    }
}
