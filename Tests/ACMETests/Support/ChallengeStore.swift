import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
@testable import ACME

/// What the test's challenge servers answer: HTTP-01 tokens and TLS-ALPN-01 certificates,
/// shared between the solver (writes) and the servers (read).
final class ChallengeStore: Sendable {
    private let tokens = Mutex<[String: String]>([:])
    private let certificates = Mutex<[String: NIOSSLContextConfigurationOverride]>([:])
    private let requests = Mutex<[String]>([])

    func setToken(_ token: String, keyAuthorization: String?) {
        self.tokens.withLock { $0[token] = keyAuthorization }
    }

    func keyAuthorization(for token: String) -> String? {
        self.tokens.withLock { $0[token] }
    }

    func setCertificate(for host: String, _ certificate: ACMEChallengeCertificate?) throws {
        var override: NIOSSLContextConfigurationOverride?
        if let certificate {
            var value = NIOSSLContextConfigurationOverride()
            value.certificateChain = [.certificate(try certificate.nioSSLCertificate())]
            value.privateKey = .privateKey(try certificate.nioSSLPrivateKey())
            override = value
        }
        self.certificates.withLock { $0[host.lowercased()] = override }
    }

    func certificate(for host: String?) -> NIOSSLContextConfigurationOverride? {
        guard let host else { return nil }
        return self.certificates.withLock { $0[host.lowercased()] }
    }

    func recordRequest(_ line: String) {
        self.requests.withLock { $0.append(line) }
    }

    /// Requests the servers saw (`GET /.well-known/…`, `TLS sni`).
    var seenRequests: [String] { self.requests.withLock { $0 } }
}
