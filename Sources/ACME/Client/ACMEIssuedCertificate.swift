import Foundation
import X509

/// A certificate ``ACMEClient/issueCertificate(_:solver:onEvent:)`` obtained.
public struct ACMEIssuedCertificate: Sendable {
    /// The chosen chain, leaf first: the preferred chain when one matched, else the CA's
    /// default chain.
    public let chain: ACMECertificateChain
    /// Every chain that was downloaded and compared, the CA's default first (only the
    /// default when no preferred chain was asked for).
    public let consideredChains: [ACMECertificateChain]
    /// The URLs of the alternate chains the CA linked (`Link: rel="alternate"`).
    public let alternateChainURLs: [String]
    /// The order URL.
    public let orderURL: String
    /// The order in its final (valid) state.
    public let order: ACMEOrder
    /// The ACME profile of the order: as the CA echoed it, else as requested; nil for the
    /// CA's default.
    public let profile: String?
    /// The challenge type used per identifier; identifiers whose authorization was already
    /// valid are absent.
    public let challengesUsed: [ACMEIdentifier: ACMEChallenge.ChallengeType]

    /// The end-entity certificate.
    public var leaf: Certificate { self.chain.leaf }
}
