import Middlewares
import NIOCore
import Routing
import TLS

/// The client's address, computed once per connection.
struct ClientInfo {
    let ip: IPAddress?
    let host: String
    let port: Int
    /// The certificate the client presented in the TLS handshake (mutual TLS), if any.
    var certificate: PeerCertificate?

    init(_ address: SocketAddress?) {
        self.ip = address.flatMap { IPAddress($0) }
        self.host = address?.ipAddress ?? "-"
        self.port = address?.port ?? 0
    }
}
