import Foundation

/// A value Traefik accepts either as a file path or as the content itself,
/// such as `certFile`/`keyFile` (inline PEM text or a path to a PEM file).
///
/// The text is kept exactly as written. ``description`` never prints inline
/// content, since it may be private key material.
public struct FileOrContent: Sendable, Hashable, CustomStringConvertible {
    /// The text as written: a path, or inline content.
    public var value: String
    /// The directory relative paths are resolved against: the directory of the
    /// configuration file the value came from, or `nil` for the current directory.
    public var baseDirectory: String?

    /// Creates a value; `baseDirectory` anchors relative paths.
    public init(_ value: String, baseDirectory: String? = nil) {
        self.value = value
        self.baseDirectory = baseDirectory
    }

    /// Whether the value is inline content (it starts with `-----BEGIN`, after leading whitespace).
    public var isInline: Bool {
        value.trimmingWhitespace().hasPrefix("-----BEGIN")
    }

    /// The file path the value names, made absolute against ``baseDirectory`` when relative;
    /// `nil` for inline content.
    public var path: String? {
        guard !isInline else { return nil }
        if value.hasPrefix("/") || baseDirectory == nil { return value }
        return URL(fileURLWithPath: baseDirectory!, isDirectory: true).appendingPathComponent(value).path
    }

    /// The bytes: the inline text itself, or the content of the file.
    public func read() throws(ConfigError) -> Data {
        guard let path else { return Data(value.utf8) }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(kind: .io, file: path, message: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// The path, or `<inline content>`; never the content itself.
    public var description: String {
        isInline ? "<inline content>" : (path ?? value)
    }
}

extension FileOrContent: ConfigDecodable, ConfigNullMeansAbsent {
    init(from reader: ConfigReader) throws(ConfigError) {
        self.init(try reader.scalarText(), baseDirectory: reader.context.baseDirectory)
    }
}
