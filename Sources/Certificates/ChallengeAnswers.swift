import NIOSSL
import Synchronization
import TLS

/// The challenge answers this node serves right now: HTTP-01 key authorizations by token and
/// TLS-ALPN-01 contexts by server name.
///
/// The data plane reads it on every challenge request or `acme-tls/1` handshake, from the
/// event loop, so reads are a dictionary lookup under a lock. The solver writes it (and the
/// storage, so other nodes of a cluster can answer too).
public final class ChallengeAnswers: TLSChallengeResponder, Sendable {
    private struct HTTPAnswer {
        let host: String
        let keyAuthorization: String
    }

    private let http = Mutex<[String: HTTPAnswer]>([:])
    private let tls = Mutex<[String: NIOSSLContext]>([:])

    /// An empty set of answers.
    public init() {}

    /// Serves `keyAuthorization` for `token` to requests for `host`.
    public func addHTTP01(token: String, host: String, keyAuthorization: String) {
        http.withLock { $0[token] = HTTPAnswer(host: ServerName.normalize(host), keyAuthorization: keyAuthorization) }
    }

    /// Stops serving `token`.
    public func removeHTTP01(token: String) {
        _ = http.withLock { $0.removeValue(forKey: token) }
    }

    /// The key authorization for `token` asked for with Host `host`, if one is pending.
    public func keyAuthorization(forToken token: String, host: String) -> String? {
        http.withLock { answers in
            guard let answer = answers[token], answer.host == host else { return nil }
            return answer.keyAuthorization
        }
    }

    /// Serves `context` to `acme-tls/1` handshakes for `serverName`.
    public func addTLSALPN01(serverName: String, context: NIOSSLContext) {
        tls.withLock { $0[ServerName.normalize(serverName)] = context }
    }

    /// Stops serving the challenge certificate for `serverName`.
    public func removeTLSALPN01(serverName: String) {
        _ = tls.withLock { $0.removeValue(forKey: ServerName.normalize(serverName)) }
    }

    public func challengeContext(forServerName serverName: String) -> NIOSSLContext? {
        tls.withLock { $0[serverName] }
    }

    /// Pending answers, for tests and status: HTTP-01 tokens and TLS-ALPN-01 names.
    public var pendingCount: (http01: Int, tlsALPN01: Int) {
        (http.withLock { $0.count }, tls.withLock { $0.count })
    }
}
