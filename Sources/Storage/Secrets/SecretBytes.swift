/// Bytes that must never be printed: a private key (PEM or DER) as the caller handed it over.
///
/// `description`, `debugDescription` and reflection (`dump`, test failure output) show only the
/// length, so a record holding a key can be logged or compared in a test without leaking it.
/// The storage encrypts these bytes before they reach the database.
public struct SecretBytes: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret bytes themselves; read them only to use the key.
    public let bytes: [UInt8]

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Wraps the UTF-8 bytes of `text` (a PEM document, typically).
    public init(utf8 text: String) {
        self.bytes = Array(text.utf8)
    }

    /// The number of bytes.
    public var count: Int { bytes.count }

    /// `<secret: N bytes>`; never the bytes.
    public var description: String { "<secret: \(bytes.count) bytes>" }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` and test diagnostics cannot reach the bytes.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
