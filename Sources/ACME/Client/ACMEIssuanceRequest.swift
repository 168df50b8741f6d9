import Foundation

/// What ``ACMEClient/issueCertificate(_:solver:onEvent:)`` should obtain.
///
/// The certificate key is the caller's: generate it with ``ACMEPrivateKey/generate(_:)`` and
/// store it *before* issuing, and store the order URL as soon as the
/// ``ACMEIssuanceEvent/orderCreated(orderURL:identifiers:)`` event names it. A process killed
/// in the middle of an order can then pass both back (``certificateKey`` and
/// ``resumeOrderURL``) and continue the same order with the same key.
public struct ACMEIssuanceRequest: Sendable {
    /// The names (wildcards such as `*.example.com` allowed) and addresses; all become SANs of
    /// the certificate, the first DNS name also its common name.
    public var identifiers: [ACMEIdentifier]
    /// The certificate's private key; the CSR is signed with it.
    public var certificateKey: ACMEPrivateKey
    /// Challenge types in order of preference. Per authorization the first type the CA offers
    /// and the solver can answer is used; a wildcard is only ever validated with DNS-01.
    /// Default: HTTP-01, TLS-ALPN-01, DNS-01.
    public var challengeTypes: [ACMEChallenge.ChallengeType]
    /// An ACME profile the CA lists in `meta.profiles` (e.g. Let's Encrypt's `shortlived`);
    /// nil for the CA's default. A profile the CA does not offer fails before anything is
    /// sent. Default: nil.
    public var profile: String?
    /// The ARI identifier of the certificate this one renews (RFC 9773 §5), sent as the new
    /// order's `replaces` when the CA offers renewalInfo. Default: nil.
    public var replaces: ACMECertificateIdentifier?
    /// The common name of the root the chain should lead to (the issuer of the chain's
    /// topmost certificate); the CA's default chain when no chain matches. Default: nil.
    public var preferredChain: String?
    /// Requested start of validity (`notBefore`), for CAs that honour it. Default: nil.
    public var notBefore: Date?
    /// Requested end of validity (`notAfter`), for CAs that honour it; see also
    /// ``init(identifiers:certificateKey:challengeTypes:profile:replaces:preferredChain:validity:resumeOrderURL:)``.
    /// Default: nil.
    public var notAfter: Date?
    /// An order URL from an earlier, interrupted attempt. When that order is still pending,
    /// ready, processing or valid and is for the same identifiers, it is continued; otherwise
    /// (invalid, expired, gone, other names) a new order is placed. Default: nil.
    public var resumeOrderURL: String?

    /// A request; each parameter's default is stated on its property.
    public init(
        identifiers: [ACMEIdentifier],
        certificateKey: ACMEPrivateKey,
        challengeTypes: [ACMEChallenge.ChallengeType] = [.http01, .tlsALPN01, .dns01],
        profile: String? = nil,
        replaces: ACMECertificateIdentifier? = nil,
        preferredChain: String? = nil,
        notBefore: Date? = nil,
        notAfter: Date? = nil,
        resumeOrderURL: String? = nil
    ) {
        self.identifiers = identifiers
        self.certificateKey = certificateKey
        self.challengeTypes = challengeTypes
        self.profile = profile
        self.replaces = replaces
        self.preferredChain = preferredChain
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.resumeOrderURL = resumeOrderURL
    }

    /// A request with a validity hint as a duration: `notAfter` is now plus `validity`.
    public init(
        identifiers: [ACMEIdentifier],
        certificateKey: ACMEPrivateKey,
        challengeTypes: [ACMEChallenge.ChallengeType] = [.http01, .tlsALPN01, .dns01],
        profile: String? = nil,
        replaces: ACMECertificateIdentifier? = nil,
        preferredChain: String? = nil,
        validity: Duration,
        resumeOrderURL: String? = nil
    ) {
        self.init(
            identifiers: identifiers, certificateKey: certificateKey, challengeTypes: challengeTypes,
            profile: profile, replaces: replaces, preferredChain: preferredChain,
            notAfter: Date().addingTimeInterval(validity.seconds), resumeOrderURL: resumeOrderURL
        )
    }
}
