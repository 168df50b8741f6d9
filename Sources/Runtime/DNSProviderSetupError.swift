/// Why a resolver's DNS provider could not be made: the key it is about
/// (`certificatesResolvers.le.acme.dnsChallenge.providers[1]`) and what is wrong, in the
/// provider's own words (a missing variable, an unreadable file). Never holds a credential's
/// value.
public struct DNSProviderSetupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The key path of the setting at fault.
    public var keyPath: String
    /// What is wrong.
    public var message: String

    /// - Parameters: see the properties.
    public init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    /// `certificatesResolvers.le.acme.dnsChallenge: rfc2136: configuration error: missing RFC2136_NAMESERVER …`.
    public var description: String { "\(keyPath): \(message)" }
}
