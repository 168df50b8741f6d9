import Foundation

/// An authorization (RFC 8555 §7.1.4): the server's proof state for one identifier, and the
/// challenges that can prove control of it.
public struct ACMEAuthorization: Sendable, Hashable, Decodable {
    /// The authorization URL.
    public internal(set) var url: String = ""
    /// The server's `Retry-After` on the response this value came from, if any.
    public internal(set) var retryAfter: Duration?
    /// The identifier; for a wildcard order this is the name without `*.`, and ``wildcard``
    /// is `true`.
    public var identifier: ACMEIdentifier
    /// The status (RFC 8555 §7.1.6).
    public var status: ACMEStatus
    /// When it expires, if the server says.
    public var expires: Date?
    /// The challenges that can prove control of the identifier.
    public var challenges: [ACMEChallenge]
    /// `true` when this authorization is for a wildcard name.
    public var wildcard: Bool?

    private enum CodingKeys: String, CodingKey {
        case identifier, status, expires, challenges, wildcard
    }

    /// The identifier as the order named it: `*.example.com` for a wildcard authorization.
    public var orderIdentifier: ACMEIdentifier {
        guard self.wildcard == true, self.identifier.type == .dns, !self.identifier.isWildcard else {
            return self.identifier
        }
        return ACMEIdentifier(type: .dns, value: "*." + self.identifier.value)
    }

    /// The first challenge of this type, if the server offers one.
    public func challenge(ofType type: ACMEChallenge.ChallengeType) -> ACMEChallenge? {
        self.challenges.first { $0.type == type }
    }

    /// The first offered challenge among `preference`, in the caller's order.
    public func preferredChallenge(among preference: [ACMEChallenge.ChallengeType]) -> ACMEChallenge? {
        for type in preference {
            if let challenge = self.challenge(ofType: type) { return challenge }
        }
        return nil
    }
}
