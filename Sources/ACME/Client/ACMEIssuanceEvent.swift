import Foundation

/// One step of ``ACMEClient/issueCertificate(_:solver:onEvent:)``, reported as it happens so
/// the caller can log it, write an audit event, and persist what it needs to resume.
///
/// The handler is awaited before issuance goes on: storing the order URL in
/// ``orderCreated(orderURL:identifiers:)`` is done before any challenge is answered.
public enum ACMEIssuanceEvent: Sendable, Hashable, CustomStringConvertible {
    /// A new order exists at `orderURL`. Persist the URL to resume after a crash.
    case orderCreated(orderURL: String, identifiers: [ACMEIdentifier])
    /// An earlier order is continued; `status` is what the CA reported for it.
    case orderResumed(orderURL: String, status: ACMEStatus)
    /// The earlier order could not be continued (`reason`); a new order follows.
    case resumeDeclined(orderURL: String, reason: String)
    /// The CA already holds a valid authorization for the identifier: no challenge needed.
    case authorizationAlreadyValid(identifier: ACMEIdentifier)
    /// This challenge type will prove control of the identifier.
    case challengeChosen(identifier: ACMEIdentifier, type: ACMEChallenge.ChallengeType)
    /// The solver published the answer.
    case challengePresented(identifier: ACMEIdentifier, type: ACMEChallenge.ChallengeType)
    /// The CA was told to validate (or was already validating) the challenge.
    case validating(identifier: ACMEIdentifier, type: ACMEChallenge.ChallengeType)
    /// The authorization is valid.
    case authorizationValid(identifier: ACMEIdentifier)
    /// The solver removed the answer (or tried to; a failure is logged, not thrown).
    case challengeCleanedUp(identifier: ACMEIdentifier, type: ACMEChallenge.ChallengeType)
    /// The CSR was sent to the order's finalize URL.
    case finalizing(orderURL: String)
    /// The certificate chain was downloaded from `certificateURL`; `serialNumber` is the
    /// leaf's, in lowercase hexadecimal.
    case certificateDownloaded(certificateURL: String, serialNumber: String)

    /// One line for logs, e.g. `challenge chosen: http-01 for dns:example.com`.
    public var description: String {
        switch self {
        case .orderCreated(let url, let identifiers):
            return "order created: \(url) for \(identifiers.map(\.description).joined(separator: ", "))"
        case .orderResumed(let url, let status):
            return "order resumed: \(url) (\(status))"
        case .resumeDeclined(let url, let reason):
            return "order not resumed: \(url): \(reason)"
        case .authorizationAlreadyValid(let identifier):
            return "authorization already valid: \(identifier)"
        case .challengeChosen(let identifier, let type):
            return "challenge chosen: \(type) for \(identifier)"
        case .challengePresented(let identifier, let type):
            return "challenge presented: \(type) for \(identifier)"
        case .validating(let identifier, let type):
            return "validating: \(type) for \(identifier)"
        case .authorizationValid(let identifier):
            return "authorization valid: \(identifier)"
        case .challengeCleanedUp(let identifier, let type):
            return "challenge cleaned up: \(type) for \(identifier)"
        case .finalizing(let url):
            return "finalizing: \(url)"
        case .certificateDownloaded(let url, let serial):
            return "certificate downloaded: \(url) (serial \(serial))"
        }
    }
}
