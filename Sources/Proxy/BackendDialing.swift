import NIOCore
import NIOPosix
import NIOSSL

extension ClientBootstrap {
    /// Connects to `resolved` when the backend's address is known already (an IP literal),
    /// else resolves `host`.
    func connect(resolved: SocketAddress?, host: String, port: Int) -> EventLoopFuture<any Channel> {
        if let resolved { return connect(to: resolved) }
        return connect(host: host, port: port)
    }
}

extension NIOSSLClientHandler {
    /// The TLS client side towards a backend: SNI and verification name `serverName` (the
    /// transport's) or the backend's host; no SNI for an IP address (RFC 6066 §3 allows only host names).
    static func towardsBackend(context: NIOSSLContext, serverName: String?, host: String) throws -> NIOSSLClientHandler {
        let name = serverName ?? host
        let isIP = (try? SocketAddress(ipAddress: name, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isIP ? nil : name)
    }
}
