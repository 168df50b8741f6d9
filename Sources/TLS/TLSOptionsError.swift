/// Why a `tls.options.<name>` entry cannot be used, naming the key that is wrong.
///
/// Its ``description`` never contains certificate or key material: for inline CA content it
/// says `caFiles[i]` and what failed, not the text.
public struct TLSOptionsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The configuration key at fault, e.g. `tls.options.mtls.cipherSuites[2]`.
    public let keyPath: String
    /// What is wrong with it.
    public let message: String

    /// An error for `keyPath`.
    public init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        "\(self.keyPath): \(self.message)"
    }
}
