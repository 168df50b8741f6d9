import Storage

/// The DNS credential operations the admin API offers, implemented by the gateway over its
/// storage and DNS providers. The Admin target knows no provider: it is told which exist and
/// what they read, checks requests against that, and shows the stored records.
public protocol DNSCredentialControl: Sendable {
    /// The providers a credential can be stored for, with the variables each reads.
    var providers: [DNSCredentialProvider] { get }

    /// Every stored credential (names and variable names, never values).
    func credentials() async throws -> [DNSCredentialRecord]

    /// The credential with `id`; `nil` when there is none.
    func credential(id: String) async throws -> DNSCredentialRecord?

    /// Stores a credential (values encrypted at rest) made by the token named `createdBy`.
    /// - Throws: ``Storage/DNSCredentialStoreError`` when the name is taken or unusable.
    func create(name: String, provider: String, entries: [String: String], createdBy: String) async throws -> DNSCredentialRecord

    /// Deletes the credential with `id`; returns it as it was, `nil` when there was none.
    func delete(id: String) async throws -> DNSCredentialRecord?

    /// Runs the pre-flight for `domain` with the stored credential with `id` (find the zone,
    /// present a probe TXT record, wait until it is visible, remove it), records the result
    /// with the credential and returns the report; `nil` when there is no such credential.
    /// A failing step is in the report, not thrown.
    func test(id: String, domain: String) async throws -> DNSCredentialTestReport?
}

/// A DNS provider as the admin API checks credentials for it: its name and the variables it
/// reads (lego's names).
public struct DNSCredentialProvider: Sendable, Hashable {
    /// The provider's name (`rfc2136`, `cloudflare`, …).
    public var name: String
    /// The variables it reads.
    public var variables: [Variable]
    /// Other names it accepts that are not credentials (lego's `<PREFIX>_TTL`,
    /// `_PROPAGATION_TIMEOUT`, `_POLLING_INTERVAL`).
    public var tuningNames: [String]

    /// - Parameters: see the properties.
    public init(name: String, variables: [Variable], tuningNames: [String] = []) {
        self.name = name
        self.variables = variables
        self.tuningNames = tuningNames
    }

    /// One variable a provider reads.
    public struct Variable: Sendable, Hashable {
        /// lego's name (`CF_DNS_API_TOKEN`).
        public var name: String
        /// Other names for the same value.
        public var aliases: [String]
        /// Whether the provider cannot work without it (or one of its aliases).
        public var isRequired: Bool
        /// Whether it is a secret.
        public var isSecret: Bool

        /// - Parameters: see the properties.
        public init(name: String, aliases: [String] = [], isRequired: Bool = false, isSecret: Bool = false) {
            self.name = name
            self.aliases = aliases
            self.isRequired = isRequired
            self.isSecret = isSecret
        }
    }

    /// Every name a stored credential for this provider may set, sorted.
    public var acceptedNames: [String] {
        (variables.flatMap { [$0.name] + $0.aliases } + tuningNames).sorted()
    }
}
