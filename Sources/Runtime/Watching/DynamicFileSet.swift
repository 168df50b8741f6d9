import Config

/// The dynamic configuration files in use, each with the last version of it that decoded.
///
/// A file that stops decoding keeps serving its last good version (and its error is reported);
/// a file that disappears is forgotten. Files are merged in path order, and a name defined in
/// more than one file is dropped from all of them (``ConfigLoader/mergeDynamic(_:)``).
struct DynamicFileSet: Sendable {
    /// What is known of one file.
    private struct Entry: Sendable {
        /// The fingerprint of the version last looked at (good or not).
        var fingerprint: FileFingerprint
        /// The last version that decoded, if any ever did.
        var lastGood: DynamicConfiguration?
        /// Why the version last looked at is not in use, if it is not.
        var error: ConfigError?
    }

    /// What one ``apply(_:)`` changed.
    struct Update: Sendable, Equatable {
        /// Files decoded again because they are new or changed, whether they decoded or not.
        var reloaded: [String] = []
        /// Files that are gone.
        var removed: [String] = []
        /// Errors of the files reloaded now (each file keeps its last good version).
        var errors: [ConfigError] = []
        /// Whether anything changed at all.
        var isEmpty: Bool { reloaded.isEmpty && removed.isEmpty }
    }

    private var entries: [String: Entry] = [:]

    /// Brings the set up to date with `reads` (every file that exists now): new and changed files
    /// are decoded, unchanged ones are kept as they are, missing ones are dropped.
    mutating func apply(_ reads: [FileRead]) -> Update {
        var update = Update()
        let present = Set(reads.map(\.path))
        for path in entries.keys.sorted() where !present.contains(path) {
            entries[path] = nil
            update.removed.append(path)
        }
        for read in reads {
            if let entry = entries[read.path], entry.fingerprint == read.fingerprint { continue }
            var entry = entries[read.path] ?? Entry(fingerprint: read.fingerprint, lastGood: nil, error: nil)
            entry.fingerprint = read.fingerprint
            do {
                let text = try read.content.get()
                entry.lastGood = try ConfigLoader.loadDynamic(text: text, file: read.path)
                entry.error = nil
            } catch {
                entry.error = error
                update.errors.append(error)
            }
            entries[read.path] = entry
            update.reloaded.append(read.path)
        }
        return update
    }

    /// The merged configuration of every file's last good version, the current errors of files
    /// whose latest version is not in use, and the names defined twice.
    var result: DynamicLoadResult {
        let paths = entries.keys.sorted()
        let parts = paths.compactMap { path in entries[path]?.lastGood.map { (file: path, configuration: $0) } }
        let (configuration, issues) = ConfigLoader.mergeDynamic(parts)
        let errors = paths.compactMap { entries[$0]?.error }
        return DynamicLoadResult(configuration: configuration, files: paths, errors: errors, issues: issues)
    }

    /// Whether the version of `path` in use is older than the file (its latest version failed).
    func isStale(_ path: String) -> Bool {
        entries[path]?.error != nil && entries[path]?.lastGood != nil
    }
}
