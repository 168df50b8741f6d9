import Foundation

/// A DNS provider credential stored through the admin API, as it may be shown: its name, the
/// provider, which variables are set and the last pre-flight's result. The values are not part
/// of it; ``DNSCredentialStore/credentialEntries(id:)`` decrypts them for the code that uses them.
public struct DNSCredentialRecord: Hashable, Sendable {
    /// The credential's id (`dnscred-` and 16 hex digits), chosen by the store.
    public var id: String
    /// Its unique name, as resolvers' `credential:` key names it.
    public var name: String
    /// The provider it is for (`rfc2136`, `cloudflare`, …).
    public var provider: String
    /// The names of the variables set (lego's names), sorted; never their values.
    public var variableNames: [String]
    /// When it was stored.
    public var createdAt: Date
    /// The name of the token that stored it.
    public var createdBy: String
    /// The last pre-flight run with it; `nil` when it was never tested.
    public var lastTest: DNSCredentialTestResult?

    /// A record; see the properties.
    public init(
        id: String, name: String, provider: String, variableNames: [String], createdAt: Date, createdBy: String,
        lastTest: DNSCredentialTestResult? = nil
    ) {
        self.id = id
        self.name = name
        self.provider = provider
        self.variableNames = variableNames
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastTest = lastTest
    }
}

/// The outcome of a credential pre-flight, as kept with the credential.
public struct DNSCredentialTestResult: Hashable, Sendable {
    /// When the pre-flight ran.
    public var time: Date
    /// The domain it was run for.
    public var domain: String
    /// Whether every step succeeded.
    public var succeeded: Bool
    /// The step that failed (`zone`, `present`, `propagation`, `cleanup`); `nil` on success.
    public var failedStep: String?
    /// The kind of failure (`authentication`, `zone not found`, `permission`, `propagation` …).
    public var failureKind: String?

    /// A result; see the properties.
    public init(time: Date, domain: String, succeeded: Bool, failedStep: String? = nil, failureKind: String? = nil) {
        self.time = time
        self.domain = domain
        self.succeeded = succeeded
        self.failedStep = failedStep
        self.failureKind = failureKind
    }
}
