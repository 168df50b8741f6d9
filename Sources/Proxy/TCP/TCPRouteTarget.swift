/// What a matched TCP router does with a connection.
public struct TCPRouteTarget: Sendable {
    /// How the router treats TLS.
    public enum TLSMode: Sendable, Equatable {
        /// A router without `tls`: plaintext connections only, bytes forwarded as they come.
        case none
        /// `tls` without passthrough: Gatehouse completes the handshake with the certificate for
        /// the SNI and forwards the decrypted bytes.
        case terminate
        /// `tls.passthrough`: the ClientHello and everything after it go to the backend untouched.
        case passthrough
    }

    /// The router's name as shown in logs, e.g. `db@file`.
    public let routerName: String
    public let service: TCPBalancer
    public let tls: TLSMode
    /// The router's middlewares, applied in order before a backend is dialled.
    public let middlewares: [TCPConnectionMiddleware]

    /// A target forwarding to `service`.
    public init(routerName: String, service: TCPBalancer, tls: TLSMode, middlewares: [TCPConnectionMiddleware] = []) {
        self.routerName = routerName
        self.service = service
        self.tls = tls
        self.middlewares = middlewares
    }
}
