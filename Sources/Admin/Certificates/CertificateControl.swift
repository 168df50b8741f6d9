import Storage

/// The certificate operations the admin API offers, implemented by the gateway over its
/// certificate storage and manager. The Admin target knows nothing of ACME: it asks, and shows
/// the stored records.
public protocol CertificateControl: Sendable {
    /// The names of the certificate resolvers that can order certificates.
    var resolvers: [String] { get }

    /// Every managed certificate.
    func certificates() async throws -> [CertificateRecord]

    /// The certificate with `id`; `nil` when there is none.
    func certificate(id: String) async throws -> CertificateRecord?

    /// Asks `resolver` for a certificate for `names` (normalized, main name first): stores a
    /// pending record the manager orders in the background, and keeps renewing until it is
    /// revoked. `challenge` (`http-01`, `tls-alpn-01`, `dns-01`) is then the only challenge
    /// offered, and `dnsCredential` (a stored DNS credential's id or name) publishes its DNS-01
    /// records; `nil` for the resolver's.
    ///
    /// When the resolver already has a record for these names, it is returned unchanged if the
    /// request names no challenge and no credential, or the same ones; otherwise the record takes
    /// the request's and, if it was issued, is renewed now with them (the current certificate
    /// keeps serving).
    func issue(names: [String], resolver: String, challenge: String?, dnsCredential: String?) async throws -> CertificateRecord

    /// Asks for a renewal now. The order runs in the background; the current certificate keeps
    /// serving until the new one is stored. Returns the record as changed.
    func requestRenewal(id: String) async throws -> CertificateRecord

    /// Revokes the certificate at its CA with `reason` (RFC 5280 CRLReason code, `nil` for
    /// unspecified) and takes it out of serving. Returns the record as changed.
    func revoke(id: String, reason: Int?) async throws -> CertificateRecord
}

extension CertificateControl {
    /// Asks `resolver` for a certificate for `names` with the resolver's challenges and DNS
    /// provider (see ``issue(names:resolver:challenge:dnsCredential:)``).
    public func issue(names: [String], resolver: String) async throws -> CertificateRecord {
        try await issue(names: names, resolver: resolver, challenge: nil, dnsCredential: nil)
    }
}
