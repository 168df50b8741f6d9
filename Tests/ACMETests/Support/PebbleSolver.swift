import Foundation
import Synchronization
@testable import ACME

/// The integration tests' solver: HTTP-01 tokens and TLS-ALPN-01 certificates go to the
/// test's own servers on pebble's ports, DNS-01 records to pebble-challtestsrv.
final class PebbleSolver: ACMEChallengeSolver {
    let types: Set<ACMEChallenge.ChallengeType>
    let store: ChallengeStore
    let dns: ChalltestsrvClient
    private let calls = Mutex<[String]>([])

    init(types: Set<ACMEChallenge.ChallengeType>, store: ChallengeStore, dns: ChalltestsrvClient) {
        self.types = types
        self.store = store
        self.dns = dns
    }

    /// `present http-01 dns:example.com`, `cleanUp …`, in order.
    var log: [String] { self.calls.withLock { $0 } }

    func canSolve(_ type: ACMEChallenge.ChallengeType, for identifier: ACMEIdentifier) -> Bool {
        self.types.contains(type)
    }

    func present(_ answer: ACMEChallengeAnswer) async throws {
        self.calls.withLock { $0.append("present \(answer.challenge.type) \(answer.identifier)") }
        switch answer {
        case .http01(let http):
            self.store.setToken(http.token, keyAuthorization: http.keyAuthorization)
        case .tlsALPN01(let alpn):
            try self.store.setCertificate(for: alpn.domain, try alpn.makeChallengeCertificate())
        case .dns01(let dns):
            try await self.dns.setTXT(dns.recordName, dns.value)
        }
    }

    func cleanUp(_ answer: ACMEChallengeAnswer) async throws {
        self.calls.withLock { $0.append("cleanUp \(answer.challenge.type) \(answer.identifier)") }
        switch answer {
        case .http01(let http):
            self.store.setToken(http.token, keyAuthorization: nil)
        case .tlsALPN01(let alpn):
            try self.store.setCertificate(for: alpn.domain, nil)
        case .dns01(let dns):
            try await self.dns.clearTXT(dns.recordName)
        }
    }
}
