/// What a TLS ClientHello says about where the client wants to go, read before any TLS
/// library sees the connection.
///
/// Only the two extensions that steer routing are kept: the server name (SNI, RFC 6066) picks
/// the certificate or the TCP route, and the offered application protocols (ALPN, RFC 7301)
/// pick HTTP/2, HTTP/1.1 or the `acme-tls/1` challenge responder.
public struct ClientHello: Sendable, Hashable {
    /// The `host_name` from the server_name extension, lowercased, exactly as sent otherwise
    /// (a trailing dot is kept). `nil` when the client sent no server_name extension.
    public var serverName: String?

    /// The protocol names from the ALPN extension, in the client's order of preference.
    /// Empty when the client sent no ALPN extension.
    public var alpnProtocols: [String]

    public init(serverName: String?, alpnProtocols: [String]) {
        self.serverName = serverName
        self.alpnProtocols = alpnProtocols
    }
}
