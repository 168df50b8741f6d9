import Foundation

/// Publishes and removes challenge answers: an HTTP-01 token store, a TLS-ALPN-01
/// certificate index, a DNS provider. ``ACMEClient/issueCertificate(_:solver:)`` uses one.
public protocol ACMEChallengeSolver: Sendable {
    /// Whether this solver can publish an answer of `type` for `identifier` (as the order
    /// named it, so `*.example.com` for a wildcard).
    func canSolve(_ type: ACMEChallenge.ChallengeType, for identifier: ACMEIdentifier) -> Bool

    /// Publishes the answer; returns when the CA can see it (for DNS, when the record is
    /// served by the authoritative servers).
    func present(_ answer: ACMEChallengeAnswer) async throws

    /// Removes the answer. Called once per presented answer, whatever the outcome.
    func cleanUp(_ answer: ACMEChallengeAnswer) async throws
}
