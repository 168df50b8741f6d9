import ACME
import DNSProviders
import Foundation
import X509

/// One certificate resolver (`certificatesResolvers.<name>.acme`), resolved into what the
/// manager acts on. Runtime builds it from the static configuration.
public struct ResolverSettings: Sendable {
    /// The resolver's name, as routers' `tls.certResolver` write it.
    public var name: String
    /// The CA's directory URL (`caServer`).
    public var directoryURL: String
    /// Account contact address (`email`); `nil` registers without contact.
    public var email: String?
    /// Key type of certificate keys (`keyType`, default EC256).
    public var keyType: ACMEPrivateKey.KeyType
    /// External account binding (`eab.kid`, `eab.hmacEncoded`).
    public var externalAccountBinding: (keyID: String, macKey: String)?
    /// Challenge types to use, in order of preference: TLS-ALPN-01, HTTP-01, DNS-01 as configured.
    public var challengeTypes: [ACMEChallenge.ChallengeType]
    /// Publishes DNS-01 records (`dnsChallenge.provider`, or a ``DNSProviders/DNSProviderRouter``
    /// for `dnsChallenge.providers`); `nil` when DNS-01 is not configured.
    public var dnsProvider: (any DNSChallengeProvider)?
    /// How DNS-01 records are checked before the CA is asked to validate.
    public var propagation: PropagationSettings
    /// Answers the DNS-01 solver's zone and propagation questions. Default: the network.
    public var dnsLookup: any DNSChallengeLookup
    /// `preferredChain`: the issuer common name of the chain to prefer.
    public var preferredChain: String?
    /// `profile`: the ACME profile to order (kept across renewals).
    public var profile: String?
    /// `certificatesDuration` in hours, for the renewal fallback when a certificate's own dates
    /// are unknown. Default 2160 (90 days).
    public var certificatesDuration: Int
    /// Extra roots trusted for calls to the CA (`caCertificates` and static
    /// `serversTransports.default.rootCAs`).
    public var trustRoots: [Certificate]
    /// A Traefik `acme.json` to import once (`storage`); never written.
    public var acmeJSONPath: String?

    /// Settings with the defaults: EC256 keys, HTTP-01 only, 90-day certificates, no extra roots.
    public init(
        name: String,
        directoryURL: String,
        email: String? = nil,
        keyType: ACMEPrivateKey.KeyType = .ec256,
        externalAccountBinding: (keyID: String, macKey: String)? = nil,
        challengeTypes: [ACMEChallenge.ChallengeType] = [.http01],
        dnsProvider: (any DNSChallengeProvider)? = nil,
        propagation: PropagationSettings = PropagationSettings(),
        dnsLookup: any DNSChallengeLookup = LiveDNSChallengeLookup(),
        preferredChain: String? = nil,
        profile: String? = nil,
        certificatesDuration: Int = 2160,
        trustRoots: [Certificate] = [],
        acmeJSONPath: String? = nil
    ) {
        self.name = name
        self.directoryURL = directoryURL
        self.email = email
        self.keyType = keyType
        self.externalAccountBinding = externalAccountBinding
        self.challengeTypes = challengeTypes
        self.dnsProvider = dnsProvider
        self.propagation = propagation
        self.dnsLookup = dnsLookup
        self.preferredChain = preferredChain
        self.profile = profile
        self.certificatesDuration = certificatesDuration
        self.trustRoots = trustRoots
        self.acmeJSONPath = acmeJSONPath
    }
}

/// `dnsChallenge.resolvers` and `dnsChallenge.propagation`: how a published DNS-01 record is
/// checked before the CA is asked to validate it.
///
/// By default every authoritative nameserver of the record's zone must show the value (lego's
/// check), and one of ``resolvers`` when any are given.
public struct PropagationSettings: Sendable {
    /// Resolvers (`host:port`) asked for the zone of a name, the zone's nameservers, and
    /// whether the TXT record is visible; empty means the system's resolvers.
    public var resolvers: [String]
    /// Wait this long before the first check (`propagation.delayBeforeChecks`). Default 0.
    public var delayBeforeChecks: Duration
    /// Skip the checks (`propagation.disableChecks`).
    public var disableChecks: Bool
    /// Every resolver must show the record, not just one (`propagation.requireAllRNS`).
    public var requireAllResolvers: Bool
    /// Skip the check at the zone's authoritative nameservers (`propagation.disableANSChecks`);
    /// the resolvers (or the system's) are asked instead.
    public var disableAuthoritativeChecks: Bool
    /// Give up waiting after this long. Default ``defaultTimeout`` (2 minutes).
    public var timeout: Duration
    /// The pause between checks. Default ``defaultInterval`` (2 seconds).
    public var interval: Duration
    /// Whether ``timeout`` is the resolver's own `propagation.timeout`, which a DNS provider's
    /// lego tuning never replaces (see ``applyProviderTuning(timeout:interval:)``). Default false.
    public var timeoutIsConfigured: Bool
    /// Whether ``interval`` is the resolver's own `propagation.interval`, which a DNS provider's
    /// lego tuning never replaces. Default false.
    public var intervalIsConfigured: Bool

    /// The propagation timeout when neither the resolver nor the provider sets one: 2 minutes.
    public static let defaultTimeout: Duration = .seconds(120)
    /// The pause between checks when neither the resolver nor the provider sets one: 2 seconds.
    public static let defaultInterval: Duration = .seconds(2)

    /// - Parameters: see the properties.
    public init(
        resolvers: [String] = [], delayBeforeChecks: Duration = .zero, disableChecks: Bool = false,
        requireAllResolvers: Bool = false, disableAuthoritativeChecks: Bool = false,
        timeout: Duration = PropagationSettings.defaultTimeout, interval: Duration = PropagationSettings.defaultInterval,
        timeoutIsConfigured: Bool = false, intervalIsConfigured: Bool = false
    ) {
        self.resolvers = resolvers
        self.delayBeforeChecks = delayBeforeChecks
        self.disableChecks = disableChecks
        self.requireAllResolvers = requireAllResolvers
        self.disableAuthoritativeChecks = disableAuthoritativeChecks
        self.timeout = timeout
        self.interval = interval
        self.timeoutIsConfigured = timeoutIsConfigured
        self.intervalIsConfigured = intervalIsConfigured
    }

    /// Takes the timing of the DNS provider that publishes the records: the resolver's own
    /// `propagation.timeout` and `propagation.interval` win (``timeoutIsConfigured``,
    /// ``intervalIsConfigured``), else the provider's lego tuning (`<PREFIX>_PROPAGATION_TIMEOUT`
    /// as `timeout`, `<PREFIX>_POLLING_INTERVAL` as `interval`; an interval of zero or less is
    /// ignored), else the defaults. A previous provider's tuning does not carry over.
    public mutating func applyProviderTuning(timeout: Duration?, interval: Duration?) {
        if !timeoutIsConfigured { self.timeout = timeout ?? Self.defaultTimeout }
        if !intervalIsConfigured { self.interval = interval.flatMap { $0 > .zero ? $0 : nil } ?? Self.defaultInterval }
    }
}
