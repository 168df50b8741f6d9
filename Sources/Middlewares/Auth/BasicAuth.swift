import Config
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `basicAuth`: HTTP Basic authentication against htpasswd-style `user:hash` entries from
/// `users` and `usersFile` (the file wins for a user listed in both, as in Traefik).
///
/// A missing or wrong password is answered 401 with `WWW-Authenticate: Basic realm="…"`. On
/// success the user name can be passed to the backend in `headerField`, and `removeHeader`
/// drops the `Authorization` header. bcrypt checks (tens of milliseconds each) run on NIO's
/// thread pool, never on an event loop, and their outcome is remembered per user and password
/// digest, so a client sending the same credentials again costs a hash lookup.
public final class BasicAuth: HTTPMiddleware {
    private let users: [String: HtpasswdHash]
    private let realm: String
    private let headerField: String?
    private let removeHeader: Bool
    private let verified = Mutex<[VerificationKey: Bool]>([:])

    /// Verification results kept; the cache starts over when it is full.
    static let cacheCapacity = 4096

    private struct VerificationKey: Hashable {
        let user: String
        let passwordDigest: Data
    }

    /// - Parameters:
    ///   - config: the middleware's options.
    ///   - keyPath: where it is configured, for errors.
    /// - Throws: ``MiddlewareConfigurationError`` naming the entry that is not `user:hash` with a
    ///   supported hash, a `usersFile` that cannot be read, or no users at all. Hashes are never
    ///   quoted in errors.
    public init(_ config: Middleware.BasicAuth, keyPath: String) throws(MiddlewareConfigurationError) {
        var users: [String: HtpasswdHash] = [:]
        // The file comes after the list: it wins for a user listed in both, as in Traefik.
        for (user, hash) in try CredentialEntries.load(users: config.users, usersFile: config.usersFile, keyPath: keyPath, parse: Self.parse) {
            users[user] = hash
        }
        guard !users.isEmpty else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).users", "no users: nobody could log in")
        }
        self.users = users
        self.realm = config.effectiveRealm
        self.headerField = config.headerField.flatMap { $0.isEmpty ? nil : $0 }
        self.removeHeader = config.removeHeader == true
    }

    private static func parse(_ entry: String, at keyPath: String) throws(MiddlewareConfigurationError) -> (String, HtpasswdHash) {
        guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex else {
            throw MiddlewareConfigurationError(keyPath: keyPath, "expected user:hash")
        }
        let user = String(entry[..<colon])
        guard let hash = HtpasswdHash(String(entry[entry.index(after: colon)...])) else {
            throw MiddlewareConfigurationError(
                keyPath: keyPath, "the password of \"\(user)\" is not a bcrypt ($2y$), apr1, MD5-crypt or {SHA} hash")
        }
        return (user, hash)
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        guard let (user, password) = Self.credentials(in: request), let hash = users[user] else {
            return .respond(unauthorized())
        }
        guard hash.isSlow else {
            return decide(hash.verify(password), user: user, request: &request)
        }
        let key = VerificationKey(user: user, passwordDigest: Data(SHA256.hash(data: password)))
        if let known = verified.withLock({ $0[key] }) {
            return decide(known, user: user, request: &request)
        }
        guard let eventLoop = request.eventLoop else {
            return decide(remember(key, hash.verify(password)), user: user, request: &request)
        }
        let checked = NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) { [self] in
            remember(key, hash.verify(password))
        }
        return .suspend(checked.map { [self] accepted in
            guard accepted else { return .respond(unauthorized()) }
            let headerField = self.headerField
            let removeHeader = self.removeHeader
            return .proceed { request in
                Self.authenticated(user, &request, headerField: headerField, removeHeader: removeHeader)
            }
        })
    }

    private func decide(_ accepted: Bool, user: String, request: inout MiddlewareRequest) -> MiddlewareOutcome {
        guard accepted else { return .respond(unauthorized()) }
        Self.authenticated(user, &request, headerField: headerField, removeHeader: removeHeader)
        return .proceed
    }

    private static func authenticated(_ user: String, _ request: inout MiddlewareRequest, headerField: String?, removeHeader: Bool) {
        if let headerField { request.head.headers.replaceOrAdd(name: headerField, value: user) }
        if removeHeader { request.head.headers.remove(name: "authorization") }
    }

    private func remember(_ key: VerificationKey, _ accepted: Bool) -> Bool {
        verified.withLock { cache in
            if cache.count >= Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = accepted
        }
        return accepted
    }

    private func unauthorized() -> MiddlewareResponse {
        MiddlewareResponse(
            status: .unauthorized,
            headers: ["WWW-Authenticate": "Basic realm=\"\(realm)\"", "Content-Type": "text/plain; charset=utf-8"],
            body: "401 Unauthorized\n"
        )
    }

    /// The user and password of an `Authorization: Basic …` header.
    static func credentials(in request: MiddlewareRequest) -> (String, [UInt8])? {
        guard let value = request.header("authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1]).trimmingSpaces) else { return nil }
        let bytes = Array(decoded)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return (String(decoding: bytes[..<colon], as: UTF8.self), Array(bytes[(colon + 1)...]))
    }
}
