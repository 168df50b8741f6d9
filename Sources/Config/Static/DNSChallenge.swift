extension CertificatesResolver {
    /// `acme.dnsChallenge`: solve DNS-01 challenges by publishing TXT records through a DNS
    /// provider.
    ///
    /// Traefik's keys (`provider`, `resolvers`, `propagation`, and the deprecated
    /// `delayBeforeCheck` and `disablePropagationCheck`) mean what they mean in Traefik.
    /// Gatehouse extensions: ``credentialsFile``, ``credentials``, ``credential`` and
    /// ``providers`` (several providers per resolver), and ``Propagation/timeout`` and
    /// ``Propagation/interval``.
    ///
    /// ``description`` names the credential variables that are set, never their values.
    public struct DNSChallenge: Sendable, Equatable, CustomStringConvertible {
        /// DNS provider name: `builtin` (Gatehouse's own DNS server, see ``DNSServer``) or lego's
        /// names (`rfc2136`, `cloudflare`, `route53` …). The fallback for names no entry of
        /// ``providers`` matches.
        public var provider: String?
        /// Resolvers (`host:port`) used to find the zone of a name and to check propagation.
        /// When not set, the environment variable `GATEHOUSE_ACME_DNS_RESOLVERS`
        /// (`1.1.1.1:53,1.0.0.1:53`), else the system's resolvers.
        public var resolvers: [String]?
        /// Deprecated: use ``Propagation/delayBeforeChecks``.
        public var delayBeforeCheck: ConfigDuration?
        /// Deprecated: use ``Propagation/disableChecks``.
        public var disablePropagationCheck: Bool?
        /// Propagation checking.
        public var propagation: Propagation?
        /// Gatehouse extension: a file of `NAME=value` lines (lego's variable names, as in a
        /// systemd `EnvironmentFile`) with the provider's credentials.
        public var credentialsFile: String?
        /// Gatehouse extension: lego's variable names and their values, or `<NAME>_FILE` and a
        /// path to read the value from.
        public var credentials: [String: String]?
        /// Gatehouse extension: the id or name of a DNS credential stored through the admin API
        /// (`POST /api/v1/dns-credentials`).
        public var credential: String?
        /// Gatehouse extension: several providers per resolver. A record goes to the entry with
        /// the longest ``DNSProviderRoute/suffix`` its name ends with; ``provider`` takes the rest.
        public var providers: [DNSProviderRoute]?

        /// Nothing set.
        public init() {}

        /// ``propagation``'s `delayBeforeChecks`, else the deprecated `delayBeforeCheck`.
        public var effectiveDelayBeforeChecks: ConfigDuration? {
            propagation?.delayBeforeChecks ?? delayBeforeCheck
        }

        /// ``propagation``'s `disableChecks`, else the deprecated `disablePropagationCheck`,
        /// else `false`.
        public var effectiveDisableChecks: Bool {
            propagation?.disableChecks ?? disablePropagationCheck ?? false
        }

        /// The provider and which credential settings are present; no value is shown.
        public var description: String {
            var parts = ["provider: \(provider ?? "-")"]
            if let resolvers { parts.append("resolvers: \(resolvers)") }
            parts += CredentialSource.describe(file: credentialsFile, entries: credentials, stored: credential)
            if let providers { parts.append("providers: [\(providers.map(\.description).joined(separator: ", "))]") }
            return "DNSChallenge(\(parts.joined(separator: ", ")))"
        }
    }

    /// `acme.dnsChallenge.propagation`.
    public struct Propagation: Sendable, Equatable {
        /// Wait this long before the first propagation check.
        public var delayBeforeChecks: ConfigDuration?
        /// Skip propagation checks.
        public var disableChecks: Bool?
        /// Require every resolver in ``DNSChallenge/resolvers`` to see the record (by default one
        /// of them is enough).
        public var requireAllRNS: Bool?
        /// Skip the check at the zone's authoritative nameservers.
        public var disableANSChecks: Bool?
        /// Gatehouse extension: give up waiting for the record after this long. Default: the
        /// provider's `<PREFIX>_PROPAGATION_TIMEOUT`, else 2 minutes.
        public var timeout: ConfigDuration?
        /// Gatehouse extension: the pause between checks. Default: the provider's
        /// `<PREFIX>_POLLING_INTERVAL`, else 2 seconds.
        public var interval: ConfigDuration?

        /// Nothing set.
        public init() {}
    }

    /// One entry of `acme.dnsChallenge.providers` (Gatehouse extension): the provider and
    /// credentials for the names under ``suffix``.
    ///
    /// ``description`` names the credential variables that are set, never their values.
    public struct DNSProviderRoute: Sendable, Equatable, CustomStringConvertible {
        /// The domain the entry covers: itself and every name below it (`example.com` covers
        /// `_acme-challenge.www.example.com`).
        public var suffix: String?
        /// The provider's name, as in ``DNSChallenge/provider``.
        public var provider: String?
        /// As ``DNSChallenge/credentialsFile``, for this provider.
        public var credentialsFile: String?
        /// As ``DNSChallenge/credentials``, for this provider.
        public var credentials: [String: String]?
        /// As ``DNSChallenge/credential``, for this provider.
        public var credential: String?

        /// Nothing set.
        public init() {}

        /// The suffix, the provider and which credential settings are present.
        public var description: String {
            let parts = ["suffix: \(suffix ?? "-")", "provider: \(provider ?? "-")"]
                + CredentialSource.describe(file: credentialsFile, entries: credentials, stored: credential)
            return "{\(parts.joined(separator: ", "))}"
        }
    }
}

/// Descriptions of credential settings that never show a value.
enum CredentialSource {
    static func describe(file: String?, entries: [String: String]?, stored: String?) -> [String] {
        var parts: [String] = []
        if let file { parts.append("credentialsFile: \(file)") }
        if let entries { parts.append("credentials: [\(entries.keys.sorted().joined(separator: ", "))]") }
        if let stored { parts.append("credential: \(stored)") }
        return parts
    }
}

extension CertificatesResolver.DNSChallenge: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        provider = try m.decode("provider")
        resolvers = try m.decode("resolvers")
        delayBeforeCheck = try m.decode("delayBeforeCheck")
        disablePropagationCheck = try m.decode("disablePropagationCheck")
        propagation = try m.decode("propagation")
        credentialsFile = try m.decode("credentialsFile")
        credentials = try m.decode("credentials")
        credential = try m.decode("credential")
        providers = try m.decode("providers")
        try m.finish()
    }
}

extension CertificatesResolver.Propagation: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        delayBeforeChecks = try m.decode("delayBeforeChecks")
        disableChecks = try m.decode("disableChecks")
        requireAllRNS = try m.decode("requireAllRNS")
        disableANSChecks = try m.decode("disableANSChecks")
        timeout = try m.decode("timeout")
        interval = try m.decode("interval")
        try m.finish()
    }
}

extension CertificatesResolver.DNSProviderRoute: ConfigDecodable {
    init(from reader: ConfigReader) throws(ConfigError) {
        let m = try reader.keyed()
        suffix = try m.decode("suffix")
        provider = try m.decode("provider")
        credentialsFile = try m.decode("credentialsFile")
        credentials = try m.decode("credentials")
        credential = try m.decode("credential")
        try m.finish()
    }
}
