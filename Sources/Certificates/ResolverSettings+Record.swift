import ACME
import DNSProviders
import Storage

extension ResolverSettings {
    /// The challenge types the manager knows, as records and requests name them.
    static let knownChallengeTypes: [ACMEChallenge.ChallengeType] = [.http01, .tlsALPN01, .dns01]

    /// The settings one order of `record` runs with: the resolver's, narrowed to the record's own
    /// choice (an expose or admin API request's `challenge` and `dns_credential`).
    ///
    /// - With ``Storage/CertificateRecord/challenge``, only that challenge type is offered to the
    ///   CA; the resolver must be configured for it, except `dns-01` with a DNS credential.
    /// - With ``Storage/CertificateRecord/dnsCredential``, DNS-01 records go to the provider
    ///   `dnsProviderForCredential` makes from that stored credential instead of the resolver's,
    ///   and the credential's `<PREFIX>_PROPAGATION_TIMEOUT` and `<PREFIX>_POLLING_INTERVAL`
    ///   apply where the resolver sets no `propagation.timeout` or `propagation.interval` (else
    ///   the defaults; the resolver's own provider's tuning does not carry over).
    /// - A resolver without `dnsChallenge` solves DNS-01 with a record's DNS credential: the
    ///   order then offers only `dns-01` (the operator named a DNS credential, so DNS-01 is what
    ///   they asked for), checked at the zone's authoritative servers with the propagation
    ///   defaults and the resolvers of `GATEHOUSE_ACME_DNS_RESOLVERS` (else the system's).
    ///
    /// - Throws: ``CertificateManagerError`` naming the challenge or the credential (never a
    ///   credential's value) when the record's choice cannot be honoured.
    func forOrder(
        of record: CertificateRecord, dnsProviderForCredential: (@Sendable (String) async throws -> CredentialDNSProvider)?
    ) async throws -> ResolverSettings {
        var settings = self
        if let challenge = record.challenge {
            let type = ACMEChallenge.ChallengeType(rawValue: challenge.lowercased())
            guard Self.knownChallengeTypes.contains(type) else {
                throw CertificateManagerError.unknownChallenge(challenge)
            }
            // A DNS credential brings its own DNS-01 provider.
            guard challengeTypes.contains(type) || (type == .dns01 && record.dnsCredential != nil) else {
                throw CertificateManagerError.challengeNotSolvable(challenge, resolver: name, solvable: challengeTypes.map(\.rawValue))
            }
            settings.challengeTypes = [type]
        }
        if let credential = record.dnsCredential {
            if !settings.challengeTypes.contains(.dns01) {
                // The record asked for another challenge by name: the credential has no use.
                guard record.challenge == nil else {
                    throw CertificateManagerError.dnsCredentialWithoutDNS01(credential, resolver: name)
                }
                settings.challengeTypes = [.dns01]
            }
            guard let dnsProviderForCredential else {
                throw CertificateManagerError.dnsCredentialUnusable(credential, reason: "this gateway cannot read stored DNS credentials")
            }
            let made: CredentialDNSProvider
            do {
                made = try await dnsProviderForCredential(credential)
            } catch {
                throw CertificateManagerError.dnsCredentialUnusable(credential, reason: "\(error)")
            }
            settings.dnsProvider = made.provider
            settings.propagation.applyProviderTuning(timeout: made.propagationTimeout, interval: made.pollingInterval)
        }
        return settings
    }
}
