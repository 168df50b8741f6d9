import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Routing

/// Joins an accepted connection to a backend of a TCP router's service: runs the router's
/// middlewares, picks a server, dials it (PROXY header and TLS as the transport says), and
/// splices the two connections with a ``GlueHandler`` pair. Connections opened this way keep
/// their backend whatever later snapshots say.
struct TCPForwarder {
    let entryPoint: String
    let logger: Logger

    /// Adds the client half of the splice at the end of `client`'s pipeline and dials a backend.
    ///
    /// The returned future succeeds when the backend is connected and both halves are in place
    /// (bytes the client sent meanwhile are held by the handlers before the splice, or left
    /// unread); it fails — and the caller closes the client — when a middleware refuses the
    /// connection or no backend can be reached.
    func forward(_ client: any Channel, target: TCPRouteTarget, clientInfo: ClientInfo) -> EventLoopFuture<Void> {
        let eventLoop = client.eventLoop
        var metadata: Logger.Metadata = [
            "entryPoint": "\(entryPoint)", "router": "\(target.routerName)", "service": "\(target.service.name)",
            "client": "\(clientInfo.host)",
        ]
        var releases: [@Sendable () -> Void] = []
        for middleware in target.middlewares {
            guard let release = middleware.admit(clientInfo.ip) else {
                releases.forEach { $0() }
                logger.debug("TCP connection refused by a middleware", metadata: metadata)
                return eventLoop.makeFailedFuture(TCPForwardError.refused(router: target.routerName))
            }
            releases.append(release)
        }
        if !releases.isEmpty {
            let all = releases
            client.closeFuture.whenComplete { _ in all.forEach { $0() } }
        }
        guard let backend = target.service.next() else {
            logger.error("TCP service has no server to forward to", metadata: metadata)
            return eventLoop.makeFailedFuture(TCPForwardError.noServer(service: target.service.name))
        }
        metadata["backend"] = "\(backend)"
        let transport = backend.transport
        let (clientGlue, backendGlue) = GlueHandler.matchedPair(
            terminationDelay: transport.terminationDelay.nanoseconds < 0 ? nil : transport.terminationDelay)
        do {
            let sync = client.pipeline.syncOperations
            try client.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
            try sync.addHandler(clientGlue)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }

        let backendHalf = NIOLoopBound(backendGlue, eventLoop: eventLoop)
        let header = transport.proxyProtocol.map {
            ProxyProtocolHeader(source: .init(client.remoteAddress), destination: .init(client.localAddress)).encoded($0)
        }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connectTimeout(transport.dialTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let header {
                        try sync.addHandler(ProxyHeaderWriter(header: header))
                    }
                    if backend.isTLS {
                        guard let context = transport.tlsContext else {
                            throw TCPForwardError.tlsUnavailable(transport: transport.name)
                        }
                        try sync.addHandler(NIOSSLClientHandler.towardsBackend(context: context, serverName: transport.serverName, host: backend.host))
                    }
                    try sync.addHandler(backendHalf.value)
                }
            }
        let connected = bootstrap.connect(resolved: backend.resolvedAddress, host: backend.host, port: backend.port)
        let logger = self.logger
        let loggedMetadata = metadata
        return connected.flatMapError { error in
            logger.error("TCP backend unreachable; closing the client connection",
                         metadata: loggedMetadata.merging(["error": "\(error)"]) { $1 })
            return eventLoop.makeFailedFuture(error)
        }.map { backendChannel in
            // The client may have gone while we dialled: its half could not close ours.
            if !client.isActive {
                backendChannel.close(promise: nil)
            }
            logger.debug("TCP connection forwarded", metadata: loggedMetadata)
        }
    }
}

/// Why a TCP connection was not forwarded.
enum TCPForwardError: Error, CustomStringConvertible {
    /// A middleware of the router refused the client.
    case refused(router: String)
    /// The service has no server with a positive weight.
    case noServer(service: String)
    /// A server wants TLS and the transport's TLS context could not be built.
    case tlsUnavailable(transport: String)

    var description: String {
        switch self {
        case .refused(let router): return "router \(router): connection refused by a middleware"
        case .noServer(let service): return "service \(service): no server to forward to"
        case .tlsUnavailable(let transport): return "serversTransport \(transport): no TLS client configuration"
        }
    }
}
