extension DomainName {
    /// The name an ACME DNS-01 challenge for `domain` publishes its TXT record at (RFC 8555
    /// §8.4): `_acme-challenge.` followed by the domain. A wildcard's `*.` is dropped first, as
    /// the authorization for `*.example.com` is for `example.com` (RFC 8555 §7.1.3), so an apex
    /// and its wildcard share `_acme-challenge.example.com`.
    /// - Throws: ``DomainNameError`` when `domain` is not a valid name or the result is too long.
    public static func acmeChallenge(for domain: String) throws(DomainNameError) -> DomainName {
        let base = domain.hasPrefix("*.") ? String(domain.dropFirst(2)) : domain
        return try DomainName(base).prepending("_acme-challenge")
    }
}
