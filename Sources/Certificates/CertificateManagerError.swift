/// A certificate manager failure that is not the CA's: configuration or state.
public struct CertificateManagerError: Error, CustomStringConvertible, Sendable {
    private enum Kind: Sendable {
        case unknownResolver(String)
        case noDNSProvider(String)
        case noCertificate(String)
        case notIssued(String)
        case storedKeyUnreadable(String)
        case noAccount(String)
        case ambiguousName(String, [String])
    }

    private let kind: Kind

    /// A router or command names a resolver that is not configured.
    public static func unknownResolver(_ name: String) -> Self { Self(kind: .unknownResolver(name)) }
    /// A DNS-01 challenge was chosen for a resolver without `dnsChallenge.provider`.
    public static func noDNSProvider(resolver: String) -> Self { Self(kind: .noDNSProvider(resolver)) }
    /// No stored certificate has this name.
    public static func noCertificate(name: String) -> Self { Self(kind: .noCertificate(name)) }
    /// The certificate has no issued chain (still pending, or failed).
    public static func notIssued(name: String) -> Self { Self(kind: .notIssued(name)) }
    /// A stored key could not be read (wrong secret key, or damaged).
    public static func storedKeyUnreadable(_ what: String) -> Self { Self(kind: .storedKeyUnreadable(what)) }

    /// The resolver has no registered account yet (nothing was ever issued with it).
    public static func noAccount(resolver: String) -> Self { Self(kind: .noAccount(resolver)) }
    /// Several stored certificates carry the name; the caller must say which.
    public static func ambiguousName(_ name: String, ids: [String]) -> Self { Self(kind: .ambiguousName(name, ids)) }

    public var description: String {
        switch kind {
        case .unknownResolver(let name): "unknown certificate resolver \"\(name)\""
        case .noDNSProvider(let resolver): "certificate resolver \"\(resolver)\" has no dnsChallenge.provider for a DNS-01 challenge"
        case .noCertificate(let name): "no stored certificate for \"\(name)\""
        case .notIssued(let name): "the certificate for \"\(name)\" has not been issued"
        case .storedKeyUnreadable(let what): "the stored \(what) cannot be read"
        case .noAccount(let resolver): "certificate resolver \"\(resolver)\" has no registered ACME account in this data directory"
        case .ambiguousName(let name, let ids): "several certificates carry \"\(name)\" (ids \(ids.joined(separator: ", "))); give the id instead"
        }
    }
}
