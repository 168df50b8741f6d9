import Certificates
import DNSProviders

extension DNSProviderSetup {
    /// A stored DNS credential's provider with its lego tuning, as the certificate manager takes
    /// it for a certificate's `dns_credential` (see ``provider(storedCredential:)``): its
    /// `<PREFIX>_PROPAGATION_TIMEOUT` and `<PREFIX>_POLLING_INTERVAL` apply to that certificate's
    /// orders where the resolver sets no `propagation.timeout` or `propagation.interval`.
    /// - Throws: ``DNSProviderSetupError`` (key `dns_credential`) as ``provider(storedCredential:)``.
    public func credentialProvider(storedCredential reference: String) async throws(DNSProviderSetupError) -> CredentialDNSProvider {
        let built = try await provider(storedCredential: reference)
        return CredentialDNSProvider(provider: built.provider,
                                     propagationTimeout: built.tuning.propagationTimeout.map { .seconds($0) },
                                     pollingInterval: built.tuning.pollingInterval.map { .seconds($0) })
    }
}
