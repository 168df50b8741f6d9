import Config
import DNS
import DNSProviders
import Foundation

/// Makes each resolver's DNS-01 provider from `dnsChallenge`: the provider by name from
/// ``DNSProviders/DNSProviderRegistry`` (or the built-in DNS server's), its credentials, and,
/// with `dnsChallenge.providers`, a ``DNSProviders/DNSProviderRouter`` over several.
///
/// A provider's credentials are read, the first that has a name winning: the `credentials` map,
/// then the `credentialsFile`, then the stored `credential`, then the process environment; for
/// each name `X`, `X_FILE` names a file holding the value (lego's rules, see
/// ``DNSProviders/DNSCredentials``).
public struct DNSProviderSetup: Sendable {
    /// The built-in DNS server's provider, when that server runs.
    public var builtin: (any DNSChallengeProvider)?
    /// Credentials stored through the admin API, for `credential:`; `nil` when there is no store.
    public var storedCredentials: (any StoredDNSCredentials)?
    /// The process environment (lego's variables, `GATEHOUSE_ACME_DNS_RESOLVERS`).
    public var environment: [String: String]
    /// What providers share (the HTTP client, a logger).
    public var context: DNSProviderContext
    /// Finds a provider kind by name. Default: ``DNSProviders/DNSProviderRegistry/kind(named:)``.
    public var kind: @Sendable (String) -> DNSProviderKind?
    /// The names `dnsChallenge.provider` accepts. Default: ``DNSProviders/DNSProviderRegistry/names``.
    public var names: [String]
    /// Reads `credentialsFile` and `_FILE` paths. Default: the file as UTF-8.
    public var readFile: @Sendable (String) throws -> String

    /// - Parameters: see the properties.
    public init(
        builtin: (any DNSChallengeProvider)? = nil,
        storedCredentials: (any StoredDNSCredentials)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        context: DNSProviderContext = DNSProviderContext(),
        kind: @escaping @Sendable (String) -> DNSProviderKind? = { DNSProviderRegistry.kind(named: $0) },
        names: [String] = DNSProviderRegistry.names,
        readFile: @escaping @Sendable (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) {
        self.builtin = builtin
        self.storedCredentials = storedCredentials
        self.environment = environment
        self.context = context
        self.kind = kind
        self.names = names
        self.readFile = readFile
    }

    /// A resolver's provider and the lego tuning of its credentials.
    public struct Built: Sendable {
        /// The provider: one, or a router over several.
        public var provider: any DNSChallengeProvider
        /// `<PREFIX>_TTL`, `_PROPAGATION_TIMEOUT`, `_POLLING_INTERVAL` of the fallback provider's
        /// credentials; with several providers, the longest timeout and interval any sets.
        public var tuning: Tuning
    }

    /// lego's per-provider tuning, in seconds; `nil` where not set.
    public struct Tuning: Sendable, Hashable {
        /// `<PREFIX>_TTL`.
        public var ttl: Int?
        /// `<PREFIX>_PROPAGATION_TIMEOUT`.
        public var propagationTimeout: Int?
        /// `<PREFIX>_POLLING_INTERVAL`.
        public var pollingInterval: Int?

        /// - Parameters: see the properties.
        public init(ttl: Int? = nil, propagationTimeout: Int? = nil, pollingInterval: Int? = nil) {
            self.ttl = ttl
            self.propagationTimeout = propagationTimeout
            self.pollingInterval = pollingInterval
        }

        init(_ tuning: DNSProviderKind.Tuning) {
            self.init(ttl: tuning.ttl, propagationTimeout: tuning.propagationTimeout, pollingInterval: tuning.pollingInterval)
        }
    }

    /// The provider for resolver `resolver`'s `dnsChallenge`.
    /// - Throws: ``DNSProviderSetupError`` naming the key of the provider that cannot be made.
    public func provider(resolver: String, _ dns: CertificatesResolver.DNSChallenge) async throws(DNSProviderSetupError) -> Built {
        let prefix = "certificatesResolvers.\(resolver).acme.dnsChallenge"
        var fallback: (target: DNSProviderRouter.Target, tuning: Tuning)?
        if let name = dns.provider, !name.isEmpty {
            fallback = try await make(name, keyPath: prefix, file: dns.credentialsFile, entries: dns.credentials, stored: dns.credential, suffix: nil)
        }
        let routes = dns.providers ?? []
        if routes.isEmpty {
            guard let fallback else { throw DNSProviderSetupError(keyPath: "\(prefix).provider", message: "missing DNS provider") }
            // With <PREFIX>_TTL set, a router of one applies it to every record.
            let provider: any DNSChallengeProvider = fallback.target.ttl == nil
                ? fallback.target.provider : DNSProviderRouter(routes: [], fallback: fallback.target)
            return Built(provider: provider, tuning: fallback.tuning)
        }
        var targets: [DNSProviderRouter.Target] = []
        var tunings: [Tuning] = fallback.map { [$0.tuning] } ?? []
        for (index, route) in routes.enumerated() {
            let keyPath = "\(prefix).providers[\(index)]"
            let text = CertificatesResolver.DNSChallenge.normalizedSuffix(route.suffix ?? "")
            let suffix: DomainName
            do {
                suffix = try DomainName(text)
            } catch {
                throw DNSProviderSetupError(keyPath: "\(keyPath).suffix", message: "\"\(route.suffix ?? "")\" is not a domain name: \(error)")
            }
            guard let name = route.provider, !name.isEmpty else {
                throw DNSProviderSetupError(keyPath: "\(keyPath).provider", message: "missing DNS provider")
            }
            let made = try await make(name, keyPath: keyPath, file: route.credentialsFile, entries: route.credentials,
                                      stored: route.credential, suffix: suffix)
            targets.append(made.target)
            tunings.append(made.tuning)
        }
        let tuning = Tuning(
            ttl: fallback?.tuning.ttl,
            propagationTimeout: tunings.compactMap(\.propagationTimeout).max(),
            pollingInterval: tunings.compactMap(\.pollingInterval).max()
        )
        return Built(provider: DNSProviderRouter(routes: targets, fallback: fallback?.target), tuning: tuning)
    }

    /// The provider a stored DNS credential makes by itself: an expose or admin API request's
    /// `dns_credential`, used for that certificate's DNS-01 records instead of its resolver's.
    /// The credential's own provider is used, with the same rules as a resolver's `credential:`.
    /// - Throws: ``DNSProviderSetupError`` (key `dns_credential`) when no store is open, the
    ///   credential cannot be read or is not stored, or its provider cannot be made from it.
    public func provider(storedCredential reference: String) async throws(DNSProviderSetupError) -> Built {
        let keyPath = "dns_credential"
        guard let store = storedCredentials else {
            throw DNSProviderSetupError(keyPath: keyPath, message: "no credential store is open to read \"\(reference)\" from")
        }
        let credential: StoredDNSCredential?
        do {
            credential = try await store.credential(reference)
        } catch {
            throw DNSProviderSetupError(keyPath: keyPath, message: "cannot read the stored credential \"\(reference)\": \(error)")
        }
        guard let credential else {
            throw DNSProviderSetupError(keyPath: keyPath, message: "no stored DNS credential has the id or name \"\(reference)\"")
        }
        let made = try await make(credential.provider, keyPath: keyPath, file: nil, entries: nil, stored: reference, suffix: nil)
        // With <PREFIX>_TTL set, a router of one applies it to every record.
        let provider: any DNSChallengeProvider = made.target.ttl == nil ? made.target.provider : DNSProviderRouter(routes: [], fallback: made.target)
        return Built(provider: provider, tuning: made.tuning)
    }

    /// One provider with its credentials.
    private func make(
        _ name: String, keyPath: String, file: String?, entries: [String: String]?, stored: String?, suffix: DomainName?
    ) async throws(DNSProviderSetupError) -> (target: DNSProviderRouter.Target, tuning: Tuning) {
        if name.lowercased() == "builtin" {
            guard let builtin else {
                throw DNSProviderSetupError(keyPath: "\(keyPath).provider",
                                            message: "the built-in DNS server is not running (see dnsServer.address)")
            }
            return (DNSProviderRouter.Target(suffix: suffix, provider: builtin), Tuning())
        }
        guard let kind = kind(name) else {
            throw DNSProviderSetupError(keyPath: "\(keyPath).provider",
                                        message: "unknown DNS provider \"\(name)\" (available: \(names.joined(separator: ", ")))")
        }
        var explicit: [String: String] = [:]
        if let stored {
            guard let store = storedCredentials else {
                throw DNSProviderSetupError(keyPath: "\(keyPath).credential", message: "no credential store is open to read \"\(stored)\" from")
            }
            let credential: StoredDNSCredential?
            do {
                credential = try await store.credential(stored)
            } catch {
                throw DNSProviderSetupError(keyPath: "\(keyPath).credential", message: "cannot read the stored credential \"\(stored)\": \(error)")
            }
            guard let credential else {
                throw DNSProviderSetupError(keyPath: "\(keyPath).credential", message: "no stored DNS credential has the id or name \"\(stored)\"")
            }
            guard credential.provider.lowercased() == kind.name else {
                throw DNSProviderSetupError(keyPath: "\(keyPath).credential",
                                            message: "the stored credential \"\(stored)\" is for provider \(credential.provider), not \(kind.name)")
            }
            explicit.merge(credential.entries) { $1 }
        }
        if let file {
            let text: String
            do {
                text = try readFile(file)
            } catch {
                throw DNSProviderSetupError(keyPath: "\(keyPath).credentialsFile", message: "cannot read \"\(file)\": \(error.localizedDescription)")
            }
            do {
                explicit.merge(try DNSCredentials.parseEnvironmentFile(text, path: file, provider: kind.name)) { $1 }
            } catch {
                throw DNSProviderSetupError(keyPath: "\(keyPath).credentialsFile", message: error.description)
            }
        }
        explicit.merge(entries ?? [:]) { $1 }
        let credentials = DNSCredentials(explicit, environment: environment, readFile: readFile)
        do {
            let provider = try kind.make(credentials, context)
            let tuning = Tuning(try kind.tuning(credentials))
            return (DNSProviderRouter.Target(suffix: suffix, provider: provider, ttl: tuning.ttl), tuning)
        } catch {
            throw DNSProviderSetupError(keyPath: keyPath, message: error.description)
        }
    }
}
