/// Answers ACME HTTP-01 challenges (RFC 8555 §8.3) on an entry point.
///
/// The proxy asks it for every `GET`/`HEAD /.well-known/acme-challenge/<token>` on entry points
/// that have one, before any router or redirection; a token it does not know falls through to
/// the routers, so a backend running its own ACME client behind Gatehouse still gets its own
/// challenges. Called on the event loop for each such request: it must answer from memory
/// and must not block.
public protocol HTTPChallengeResponder: Sendable {
    /// The key authorization to serve for `token` requested with Host `host` (port removed,
    /// lower-cased), or `nil` when no challenge with that token is pending.
    func keyAuthorization(forToken token: String, host: String) -> String?
}

/// Where HTTP-01 challenges are fetched from.
enum ACMEChallengePath {
    static let prefix = "/.well-known/acme-challenge/"

    /// The token in `path` when it is a challenge path, without any query string.
    static func token(in path: String) -> String? {
        guard path.hasPrefix(prefix) else { return nil }
        var token = path.dropFirst(prefix.count)
        if let query = token.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            token = token[..<query]
        }
        // Tokens are base64url (RFC 8555 §8.1): no slashes, never empty.
        guard !token.isEmpty, !token.contains("/") else { return nil }
        return String(token)
    }
}
