/// Where the secret key that encrypts private keys at rest came from. Error messages name the
/// source (never the key), so an operator knows which setting to fix.
public enum SecretKeySource: Hashable, Sendable, CustomStringConvertible {
    /// The environment variable of that name (``SecretBox/environmentVariable``).
    case environment(variable: String)
    /// The key file at that path (`<dataDir>/secret.key` by default).
    case file(path: String)
    /// A key handed over in code, with a label for messages (tests, embedding programs).
    case provided(label: String)

    /// E.g. `environment variable GATEHOUSE_SECRET_KEY` or `key file /var/lib/gatehouse/secret.key`.
    public var description: String {
        switch self {
        case .environment(let variable): "environment variable \(variable)"
        case .file(let path): "key file \(path)"
        case .provided(let label): label
        }
    }
}
