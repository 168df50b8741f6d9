import DNSProviders

/// The DNS-01 provider a stored DNS credential makes (an expose or admin API request's
/// `dns_credential`), with that credential's own lego propagation tuning.
///
/// The tuning applies to the certificate's orders where its resolver sets no
/// `propagation.timeout` or `propagation.interval` of its own (see
/// ``PropagationSettings/applyProviderTuning(timeout:interval:)``).
public struct CredentialDNSProvider: Sendable {
    /// Publishes the certificate's DNS-01 records instead of the resolver's provider.
    public var provider: any DNSChallengeProvider
    /// The credential's `<PREFIX>_PROPAGATION_TIMEOUT`; `nil` when it sets none.
    public var propagationTimeout: Duration?
    /// The credential's `<PREFIX>_POLLING_INTERVAL`; `nil` when it sets none.
    public var pollingInterval: Duration?

    /// - Parameters: see the properties.
    public init(provider: any DNSChallengeProvider, propagationTimeout: Duration? = nil, pollingInterval: Duration? = nil) {
        self.provider = provider
        self.propagationTimeout = propagationTimeout
        self.pollingInterval = pollingInterval
    }
}
