import Config
import Crypto
import Foundation
import NIOHTTP1
import Synchronization

/// `digestAuth`: HTTP Digest authentication (RFC 7616 with MD5, `qop=auth`, and RFC 2069's form
/// without qop) against htdigest entries `user:realm:HA1` from `users` and `usersFile`, as
/// Traefik does it.
///
/// Without valid credentials the answer is 401 with a fresh challenge (`WWW-Authenticate:
/// Digest realm=…, nonce=…, opaque=…, algorithm=MD5, qop="auth"`). Nonces are issued by this
/// middleware and remembered (a bounded table); a nonce it does not know, or a nonce count that
/// does not grow, is refused (replay), an unknown nonce with `stale=true` so that clients retry
/// with the password they have. The digest must be for the request's own target. On success the
/// user name can be passed on in `headerField`, and `removeHeader` drops `Authorization`.
public final class DigestAuth: HTTPMiddleware {
    /// HA1 by `user:realm`.
    private let secrets: [String: String]
    private let realm: String
    private let headerField: String?
    private let removeHeader: Bool
    private let opaque: String
    private let nonces = Mutex<NonceTable>(NonceTable())

    /// Nonces remembered; past it, the older half is forgotten (their clients get `stale=true`).
    static let nonceCapacity = 1000

    private struct NonceTable {
        /// The highest nonce count seen per nonce, and when the nonce was last used.
        var entries: [String: (count: UInt64, lastUsed: UInt64)] = [:]
        var clock: UInt64 = 0
    }

    /// - Parameters:
    ///   - config: the middleware's options.
    ///   - keyPath: where it is configured, for errors.
    /// - Throws: ``MiddlewareConfigurationError`` naming an entry that is not `user:realm:hash`
    ///   (32 hex digits), a `usersFile` that cannot be read, or no users at all. Hashes are never
    ///   quoted in errors.
    public init(_ config: Middleware.DigestAuth, keyPath: String) throws(MiddlewareConfigurationError) {
        var secrets: [String: String] = [:]
        for (key, ha1) in try CredentialEntries.load(users: config.users, usersFile: config.usersFile, keyPath: keyPath, parse: Self.parse) {
            secrets[key] = ha1
        }
        guard !secrets.isEmpty else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).users", "no users: nobody could log in")
        }
        self.secrets = secrets
        self.realm = config.effectiveRealm
        self.headerField = config.headerField.flatMap { $0.isEmpty ? nil : $0 }
        self.removeHeader = config.removeHeader == true
        self.opaque = Self.randomHex(bytes: 16)
    }

    private static func parse(_ entry: String, at keyPath: String) throws(MiddlewareConfigurationError) -> (String, String) {
        let fields = entry.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, !fields[0].isEmpty else {
            throw MiddlewareConfigurationError(keyPath: keyPath, "expected user:realm:hash (htdigest)")
        }
        let ha1 = fields[2].lowercased()
        guard ha1.count == 32, ha1.allSatisfy({ $0.isHexDigit }) else {
            throw MiddlewareConfigurationError(keyPath: keyPath, "the hash of \"\(fields[0])\" is not an MD5 digest (32 hex digits)")
        }
        return ("\(fields[0]):\(fields[1])", ha1)
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        guard let value = request.header("authorization"), let credentials = DigestCredentials(authorization: value) else {
            return .respond(challenge(stale: false))
        }
        switch verify(credentials, method: request.head.method.rawValue, uri: request.head.uri) {
        case .accepted:
            if let headerField { request.head.headers.replaceOrAdd(name: headerField, value: credentials.username) }
            if removeHeader { request.head.headers.remove(name: "authorization") }
            return .proceed
        case .staleNonce:
            return .respond(challenge(stale: true))
        case .refused:
            return .respond(challenge(stale: false))
        }
    }

    /// What a check of Digest credentials found.
    enum Verdict: Equatable {
        case accepted
        /// The nonce is not (or no longer) one of ours: the client should retry with a new one.
        case staleNonce
        case refused
    }

    /// Checks `credentials` for a request with `method` and target `uri`.
    func verify(_ credentials: DigestCredentials, method: String, uri: String) -> Verdict {
        guard credentials.realm == realm, credentials.uri == uri,
              credentials.opaque == nil || credentials.opaque == opaque,
              credentials.algorithm.map({ $0.caseInsensitiveCompare("MD5") == .orderedSame }) ?? true,
              let ha1 = secrets["\(credentials.username):\(credentials.realm)"] else { return .refused }
        let ha2 = Self.md5Hex("\(method):\(uri)")
        let expected: String
        var count: UInt64 = 0
        if let qop = credentials.qop {
            guard qop == "auth", let nc = credentials.nonceCount, let parsed = UInt64(nc, radix: 16),
                  let cnonce = credentials.cnonce else { return .refused }
            count = parsed
            expected = Self.md5Hex("\(ha1):\(credentials.nonce):\(nc):\(cnonce):auth:\(ha2)")
        } else {
            expected = Self.md5Hex("\(ha1):\(credentials.nonce):\(ha2)")
        }
        guard Self.constantTimeEqual(expected, credentials.response.lowercased()) else { return .refused }
        return nonces.withLock { table in
            guard let known = table.entries[credentials.nonce] else { return .staleNonce }
            // A count that does not grow is a replay (without qop there is no count: one use).
            guard credentials.qop == nil ? known.count == 0 : count > known.count else { return .refused }
            table.clock &+= 1
            table.entries[credentials.nonce] = (credentials.qop == nil ? 1 : count, table.clock)
            return .accepted
        }
    }

    /// Issues a nonce and remembers it.
    func issueNonce() -> String {
        let nonce = Self.randomHex(bytes: 16)
        remember(nonce: nonce)
        return nonce
    }

    /// Remembers `nonce` as issued (new, no count used yet).
    func remember(nonce: String) {
        nonces.withLock { table in
            if table.entries.count >= Self.nonceCapacity {
                // Forget the least recently used half.
                let order = table.entries.sorted { $0.value.lastUsed < $1.value.lastUsed }
                for (key, _) in order.prefix(order.count / 2) { table.entries[key] = nil }
            }
            table.clock &+= 1
            table.entries[nonce] = (0, table.clock)
        }
    }

    private func challenge(stale: Bool) -> MiddlewareResponse {
        var value = "Digest realm=\"\(realm)\", nonce=\"\(issueNonce())\", opaque=\"\(opaque)\", algorithm=MD5, qop=\"auth\""
        if stale { value += ", stale=true" }
        return MiddlewareResponse(
            status: .unauthorized,
            headers: ["WWW-Authenticate": value, "Content-Type": "text/plain; charset=utf-8"],
            body: "401 Unauthorized\n"
        )
    }

    static func md5Hex(_ text: String) -> String {
        Insecure.MD5.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// The fields of an `Authorization: Digest …` header (RFC 7616 §3.4).
struct DigestCredentials: Equatable {
    var username: String
    var realm: String
    var nonce: String
    var uri: String
    var response: String
    var algorithm: String?
    var opaque: String?
    var qop: String?
    var nonceCount: String?
    var cnonce: String?

    /// Parses a header value; nil when it is not Digest or lacks a required field.
    init?(authorization value: String) {
        let trimmed = value.drop { $0 == " " }
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "digest " else { return nil }
        var fields: [String: String] = [:]
        var rest = trimmed.dropFirst(7)[...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " }
            var fieldValue = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                var index = rest.startIndex
                while index < rest.endIndex {
                    let c = rest[index]
                    if escaped {
                        fieldValue.append(c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        fieldValue.append(c)
                    }
                    index = rest.index(after: index)
                }
                guard index < rest.endIndex else { return nil }  // unterminated quote
                rest = rest[rest.index(after: index)...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                fieldValue = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            fields[name] = fieldValue
        }
        guard let username = fields["username"], let realm = fields["realm"], let nonce = fields["nonce"],
              let uri = fields["uri"], let response = fields["response"] else { return nil }
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response
        self.algorithm = fields["algorithm"]
        self.opaque = fields["opaque"]
        self.qop = fields["qop"]
        self.nonceCount = fields["nc"]
        self.cnonce = fields["cnonce"]
    }
}
