/// Why ``TLSServerSettings`` cannot make a TLS context.
///
/// NIOSSL stops the process on some invalid inputs (an empty cipher list, a non-ASCII ALPN
/// name), so settings are checked before they reach it.
public struct TLSSettingsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the field.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String {
        "TLSSettingsError: \(self.message)"
    }
}
