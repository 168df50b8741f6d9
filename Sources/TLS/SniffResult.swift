/// What the first bytes of a connection turned out to be.
public enum SniffResult: Sendable, Hashable {
    /// The first byte is not a TLS handshake record (22): plaintext, e.g. an HTTP/1.1 request
    /// line or an HTTP/2 prior-knowledge preface.
    case plaintext
    /// A complete, well-formed TLS ClientHello.
    case tls(ClientHello)
}
