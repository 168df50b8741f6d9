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
        case unknownChallenge(String)
        case challengeNotSolvable(String, String, [String])
        case dnsCredentialWithoutDNS01(String, String)
        case dnsCredentialUnusable(String, String)
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
    /// A certificate asks for a challenge type that is not `http-01`, `tls-alpn-01` or `dns-01`.
    public static func unknownChallenge(_ challenge: String) -> Self { Self(kind: .unknownChallenge(challenge)) }
    /// A certificate asks for a challenge type its resolver is not configured to solve.
    public static func challengeNotSolvable(_ challenge: String, resolver: String, solvable: [String]) -> Self {
        Self(kind: .challengeNotSolvable(challenge, resolver, solvable))
    }
    /// A certificate names a stored DNS credential but asks for another challenge than
    /// `dns-01` (a credential alone brings DNS-01 even to a resolver without `dnsChallenge`).
    public static func dnsCredentialWithoutDNS01(_ credential: String, resolver: String) -> Self {
        Self(kind: .dnsCredentialWithoutDNS01(credential, resolver))
    }
    /// A certificate's stored DNS credential cannot be read or made into a provider; `reason`
    /// must not hold a credential's value.
    public static func dnsCredentialUnusable(_ credential: String, reason: String) -> Self {
        Self(kind: .dnsCredentialUnusable(credential, reason))
    }

    public var description: String {
        switch kind {
        case .unknownResolver(let name): "unknown certificate resolver \"\(name)\""
        case .noDNSProvider(let resolver): "certificate resolver \"\(resolver)\" has no dnsChallenge.provider for a DNS-01 challenge"
        case .noCertificate(let name): "no stored certificate for \"\(name)\""
        case .notIssued(let name): "the certificate for \"\(name)\" has not been issued"
        case .storedKeyUnreadable(let what): "the stored \(what) cannot be read"
        case .noAccount(let resolver): "certificate resolver \"\(resolver)\" has no registered ACME account in this data directory"
        case .ambiguousName(let name, let ids): "several certificates carry \"\(name)\" (ids \(ids.joined(separator: ", "))); give the id instead"
        case .unknownChallenge(let challenge): "unknown challenge type \"\(challenge)\" (http-01, tls-alpn-01 or dns-01)"
        case .challengeNotSolvable(let challenge, let resolver, let solvable):
            "the certificate asks for \(challenge), which certificate resolver \"\(resolver)\" does not solve (it solves \(solvable.isEmpty ? "none" : solvable.joined(separator: ", ")))"
        case .dnsCredentialWithoutDNS01(let credential, let resolver):
            "the certificate names DNS credential \"\(credential)\", but its order from certificate resolver \"\(resolver)\" offers no dns-01 challenge"
        case .dnsCredentialUnusable(let credential, let reason): "the stored DNS credential \"\(credential)\" cannot be used: \(reason)"
        }
    }
}
