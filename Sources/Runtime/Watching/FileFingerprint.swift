import Config
import Foundation

/// What the watcher compares between two polls of one file: size, modification time and a hash
/// of the content. Equal fingerprints mean "the same file"; the hash catches rewrites that keep
/// size and time (coarse timestamps, fast editors).
struct FileFingerprint: Sendable, Hashable {
    /// The size in bytes, or -1 when the file could not be read.
    var size: Int
    /// The modification time, when known.
    var modified: Date?
    /// FNV-1a (64-bit) of the content; not cryptographic, only a change detector.
    var contentHash: UInt64

    /// The fingerprint of a file that could not be read.
    static let unreadable = FileFingerprint(size: -1, modified: nil, contentHash: 0)

    /// FNV-1a over `data`.
    static func hash(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// One read of a watched file: its fingerprint and either its text or why it could not be used.
///
/// The watcher decodes exactly the bytes it fingerprinted, so a file changing between the two
/// steps can never be applied under the old fingerprint.
struct FileRead: Sendable {
    /// The path as listed (directory entry or `providers.file.filename`).
    let path: String
    /// What identifies this version of the file.
    let fingerprint: FileFingerprint
    /// The content, or the error that makes it unusable (unreadable, not UTF-8).
    let content: Result<String, ConfigError>

    /// Reads `path` now. When `previous` has the same size and modification time, and that time
    /// is more than a second old (so a write in the same timestamp tick cannot hide behind it),
    /// `previous` is returned without reading the content again.
    static func read(_ path: String, reusing previous: FileRead? = nil) -> FileRead {
        // The time is taken before the content: a write after this point changes the time that
        // the next poll sees, so a fingerprint can never pair a new time with old content.
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let modified = attributes?[.modificationDate] as? Date
        let size = (attributes?[.size] as? NSNumber)?.intValue
        if let previous, let modified, let size, previous.fingerprint.modified == modified, previous.fingerprint.size == size,
           modified < Date(timeIntervalSinceNow: -1) {
            return previous
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return FileRead(path: path, fingerprint: .unreadable,
                            content: .failure(ConfigError(kind: .io, file: path, message: "cannot read \(path): \(error.localizedDescription)")))
        }
        let fingerprint = FileFingerprint(size: data.count, modified: modified, contentHash: FileFingerprint.hash(data))
        guard let text = String(data: data, encoding: .utf8) else {
            return FileRead(path: path, fingerprint: fingerprint,
                            content: .failure(ConfigError(kind: .syntax, file: path, message: "\(path) is not UTF-8 text")))
        }
        return FileRead(path: path, fingerprint: fingerprint, content: .success(text))
    }
}
