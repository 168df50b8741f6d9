import Foundation

/// Publishes and removes challenge answers: an HTTP-01 token store, a TLS-ALPN-01
/// certificate index, a DNS provider. ``ACMEClient/issueCertificate(_:solver:onEvent:)``
/// uses one.
///
/// The client calls ``present(_:)`` for every answer before it asks the CA to validate any,
/// and ``cleanUp(_:)`` exactly once for every answer that was presented, after validation,
/// also when issuance fails or is cancelled. Calls may come from any task; a solver shared
/// between issuances must be safe for that.
///
/// What each answer needs:
/// - ``ACMEChallengeAnswer/http01(_:)``: serve ``ACMEChallengeAnswer/HTTP01/keyAuthorization``
///   at ``ACMEChallengeAnswer/HTTP01/path`` on port 80 for the name.
/// - ``ACMEChallengeAnswer/tlsALPN01(_:)``: present the certificate from
///   ``ACMEChallengeAnswer/TLSALPN01/makeChallengeCertificate(privateKey:validity:now:)`` to
///   handshakes on port 443 with SNI ``ACMEChallengeAnswer/TLSALPN01/domain`` and ALPN
///   `acme-tls/1`.
/// - ``ACMEChallengeAnswer/dns01(_:)``: add a TXT record
///   ``ACMEChallengeAnswer/DNS01/recordName`` = ``ACMEChallengeAnswer/DNS01/value``; add, do
///   not replace (a wildcard and its apex share the name).
public protocol ACMEChallengeSolver: Sendable {
    /// Whether this solver can publish an answer of `type` for `identifier` (as the order
    /// names it, so `*.example.com` for a wildcard). The client never asks a wildcard to be
    /// solved with anything but DNS-01, whatever this says.
    func canSolve(_ type: ACMEChallenge.ChallengeType, for identifier: ACMEIdentifier) -> Bool

    /// Publishes the answer; returns when the CA can see it (for DNS, when the authoritative
    /// servers serve the record). A thrown error stops issuance with
    /// ``ACMEError/Code/solverFailed``.
    func present(_ answer: ACMEChallengeAnswer) async throws

    /// Removes the answer. Called once per presented answer, whatever the outcome; an error
    /// is logged, not thrown.
    func cleanUp(_ answer: ACMEChallengeAnswer) async throws
}
