/// The DNS names of a certificate in normalized form, with a key that is the same for the same
/// set of names whatever their order or case.
///
/// Normalizing lowercases ASCII letters and drops one trailing dot; duplicates (after
/// normalizing) are dropped, keeping the first. The order of ``names`` is the order given, so
/// the first is still the main name. ``key`` is the sorted names joined by commas.
public struct NameSet: Hashable, Sendable, CustomStringConvertible {
    /// The normalized names, in the order given, without duplicates.
    public let names: [String]
    /// The sorted normalized names joined by `,`: equal for equal sets of names.
    public let key: String

    /// Normalizes `names`.
    ///
    /// - Throws: ``StorageError/Code/invalidName`` when the list is empty or a name is empty,
    ///   longer than 253 characters, or contains a comma, whitespace or a control character.
    public init(_ names: [String]) throws {
        var seen = Set<String>()
        var ordered: [String] = []
        for name in names {
            let normalized = try Self.normalize(name)
            if seen.insert(normalized).inserted {
                ordered.append(normalized)
            }
        }
        guard !ordered.isEmpty else {
            throw StorageError.invalidName("", "is missing: a certificate needs at least one name")
        }
        self.names = ordered
        self.key = ordered.sorted().joined(separator: ",")
    }

    /// One name in normalized form: ASCII lowercased, without a trailing dot.
    ///
    /// - Throws: ``StorageError/Code/invalidName`` as for ``init(_:)``.
    public static func normalize(_ name: String) throws -> String {
        var bytes = Array(name.utf8)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        guard !bytes.isEmpty else {
            throw StorageError.invalidName(name, "is empty")
        }
        guard bytes.count <= 253 else {
            throw StorageError.invalidName(name, "is longer than 253 characters")
        }
        for index in bytes.indices {
            let byte = bytes[index]
            if byte <= 0x20 || byte == 0x7f || byte == UInt8(ascii: ",") {
                throw StorageError.invalidName(name, "contains a comma, whitespace or a control character")
            }
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                bytes[index] = byte + 32
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The names, comma separated, in order.
    public var description: String { names.joined(separator: ",") }
}
