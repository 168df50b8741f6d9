/// Why ``ClientCertificateInfo`` could not be built from a peer chain.
public enum ClientCertificateInfoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The client sent no certificate.
    case emptyChain
    /// The leaf (or a chain member) is not a certificate swift-certificates can read.
    case unparsable(String)

    public var description: String {
        switch self {
        case .emptyChain: return "client certificate info: the client sent no certificate"
        case .unparsable(let reason): return "client certificate info: cannot parse the client certificate: \(reason)"
        }
    }
}
