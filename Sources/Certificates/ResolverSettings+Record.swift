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
    ///   CA; the resolver must be configured for it.
    /// - With ``Storage/CertificateRecord/dnsCredential``, DNS-01 records go to the provider
    ///   `dnsProviderForCredential` makes from that stored credential instead of the resolver's.
    ///
    /// - Throws: ``CertificateManagerError`` naming the challenge or the credential (never a
    ///   credential's value) when the record's choice cannot be honoured.
    func forOrder(
        of record: CertificateRecord, dnsProviderForCredential: (@Sendable (String) async throws -> any DNSChallengeProvider)?
    ) async throws -> ResolverSettings {
        var settings = self
        if let challenge = record.challenge {
            let type = ACMEChallenge.ChallengeType(rawValue: challenge.lowercased())
            guard Self.knownChallengeTypes.contains(type) else {
                throw CertificateManagerError.unknownChallenge(challenge)
            }
            guard challengeTypes.contains(type) else {
                throw CertificateManagerError.challengeNotSolvable(challenge, resolver: name, solvable: challengeTypes.map(\.rawValue))
            }
            settings.challengeTypes = [type]
        }
        if let credential = record.dnsCredential {
            guard settings.challengeTypes.contains(.dns01) else {
                throw CertificateManagerError.dnsCredentialWithoutDNS01(credential, resolver: name)
            }
            guard let dnsProviderForCredential else {
                throw CertificateManagerError.dnsCredentialUnusable(credential, reason: "this gateway cannot read stored DNS credentials")
            }
            do {
                settings.dnsProvider = try await dnsProviderForCredential(credential)
            } catch {
                throw CertificateManagerError.dnsCredentialUnusable(credential, reason: "\(error)")
            }
        }
        return settings
    }
}
