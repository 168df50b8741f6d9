import Storage

extension CertificateSource {
    /// Asked for through the admin API (`POST /api/v1/certificates`): the manager orders and
    /// renews it like a router's until it is revoked, whether or not a router uses its names.
    public static let adminAPI = CertificateSource(rawValue: "admin-api")
}
