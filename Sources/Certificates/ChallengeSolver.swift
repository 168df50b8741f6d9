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
/// ``DNSChallengeProvider`` (zone discovery and propagation checks in ``DNSChallengePublisher``).
///
/// One solver serves one order.
struct ChallengeSolver: ACMEChallengeSolver {
    let settings: ResolverSettings
    let answers: ChallengeAnswers
    let storage: any CertificateStorage
    let logger: Logger
    /// Publishes DNS-01 records; `nil` when the resolver has no DNS provider.
    let dns: DNSChallengePublisher?
    /// How long stored answers live if clean-up never happens.
    let lifetime: TimeInterval = 3600

    init(settings: ResolverSettings, answers: ChallengeAnswers, storage: any CertificateStorage, logger: Logger) {
        self.settings = settings
        self.answers = answers
        self.storage = storage
        self.logger = logger
        self.dns = settings.dnsProvider.map {
            DNSChallengePublisher(provider: $0, propagation: settings.propagation, lookup: settings.dnsLookup, logger: logger)
        }
    }

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
        case .dns01(let answer):
            guard let dns else { throw CertificateManagerError.noDNSProvider(resolver: settings.name) }
            try await dns.present(name: try DomainName(answer.recordName), value: answer.value)
        }
    }

    func cleanUp(_ answer: ACMEChallengeAnswer) async throws {
        switch answer {
        case .http01(let http):
            answers.removeHTTP01(token: http.token)
            try await storage.removeHTTPChallenge(token: http.token)
        case .tlsALPN01(let tls):
            answers.removeTLSALPN01(serverName: tls.domain)
        case .dns01(let answer):
            try await dns?.cleanUp(name: try DomainName(answer.recordName), value: answer.value)
        }
    }
}
