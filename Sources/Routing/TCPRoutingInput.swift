/// What TCP routing looks at in a connection: the TLS ClientHello's server name and ALPN
/// protocols, and the peer address.
public struct TCPRoutingInput: Sendable {
    /// The SNI, normalised like an HTTP host (lowercase, punycode, no trailing dot); empty when the
    /// connection is not TLS or sent no SNI (then only `HostSNI(`*`)` matches by name).
    public let serverName: String
    /// The protocols offered in the ClientHello's ALPN extension, in order.
    public let alpnProtocols: [String]
    public let clientIP: IPAddress?

    public init(serverName: String?, alpnProtocols: [String] = [], clientIP: IPAddress? = nil) {
        self.serverName = serverName.map { RoutingRequest.normalizeHost($0[...]) } ?? ""
        self.alpnProtocols = alpnProtocols
        self.clientIP = clientIP
    }
}
