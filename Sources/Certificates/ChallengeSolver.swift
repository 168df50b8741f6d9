import ACME
import DNS
import DNSProviders
import Foundation
import Logging
import Storage
import TLS

/// Publishes ACME challenge answers for one resolver: HTTP-01 tokens and TLS-ALPN-01
/// certificates through ``ChallengeAnswers`` (served by the data plane) and the storage (so
/// any node of a cluster can answer), DNS-01 records through the resolver's
/// ``DNSChallengeProvider``.
struct ChallengeSolver: ACMEChallengeSolver {
    let settings: ResolverSettings
    let answers: ChallengeAnswers
    let storage: any CertificateStorage
    let logger: Logger
    /// How long stored answers live if clean-up never happens.
    let lifetime: TimeInterval = 3600

    func canSolve(_ type: ACMEChallenge.ChallengeType, for identifier: ACMEIdentifier) -> Bool {
        guard settings.challengeTypes.contains(type) else { return false }
        if type == .dns01 { return settings.dnsProvider != nil }
        return true
    }

    func present(_ answer: ACMEChallengeAnswer) async throws {
        switch answer {
        case .http01(let http):
            answers.addHTTP01(token: http.token, host: http.identifier.value, keyAuthorization: http.keyAuthorization)
            try await storage.putHTTPChallenge(token: http.token, keyAuthorization: http.keyAuthorization,
                                               expiresAt: Date().addingTimeInterval(lifetime))
        case .tlsALPN01(let tls):
            let challenge = try tls.makeChallengeCertificate()
            let certificate = try ServerCertificate(certificates: [challenge.certificate], privateKey: challenge.privateKey.certificatePrivateKey)
            answers.addTLSALPN01(serverName: tls.domain, context: try TLSServerSettings.makeChallengeContext(for: certificate))
        case .dns01(let dns):
            guard let provider = settings.dnsProvider else {
                throw CertificateManagerError.noDNSProvider(resolver: settings.name)
            }
            try await provider.present(try record(dns))
            if !provider.isImmediatelyVisible && !settings.propagation.disableChecks {
                logger.info("waiting for DNS", metadata: ["record": "\(dns.recordName)", "provider": "\(provider.name)"])
                let resolvers = try settings.propagation.resolvers.map { text throws(DNSAddressError) in try DNSAddress(parsing: text) }
                try await DNSTXTLookup().waitForTXT(
                    name: try DomainName(dns.recordName), value: dns.value, resolvers: resolvers,
                    delayBeforeChecks: settings.propagation.delayBeforeChecks, timeout: settings.propagation.timeout
                )
            } else if settings.propagation.delayBeforeChecks > .zero {
                try await Task.sleep(for: settings.propagation.delayBeforeChecks)
            }
        }
    }

    func cleanUp(_ answer: ACMEChallengeAnswer) async throws {
        switch answer {
        case .http01(let http):
            answers.removeHTTP01(token: http.token)
            try await storage.removeHTTPChallenge(token: http.token)
        case .tlsALPN01(let tls):
            answers.removeTLSALPN01(serverName: tls.domain)
        case .dns01(let dns):
            try await settings.dnsProvider?.cleanUp(try record(dns))
        }
    }

    /// The provider's view of a DNS-01 answer.
    private func record(_ dns: ACMEChallengeAnswer.DNS01) throws -> ChallengeRecord {
        let name = try DomainName(dns.recordName)
        return ChallengeRecord(name: name, value: dns.value, zone: name.parent ?? name)
    }
}
