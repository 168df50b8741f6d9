import Foundation

/// The entries of an authentication middleware's `users` list and `usersFile` (one entry a
/// line; blank lines and `#` comments skipped), in that order, each with the key path an error
/// about it names: `….users[2]`, or `….usersFile (/etc/htpasswd line 7)`.
enum CredentialEntries {
    /// Reads `users` and the file; `parse` turns each entry into what the middleware keeps.
    ///
    /// - Throws: ``MiddlewareConfigurationError`` for a file that cannot be read, or what
    ///   `parse` throws for an entry.
    static func load<Entry>(
        users: [String]?, usersFile: String?, keyPath: String,
        parse: (String, String) throws(MiddlewareConfigurationError) -> Entry
    ) throws(MiddlewareConfigurationError) -> [Entry] {
        var entries: [Entry] = []
        for (index, entry) in (users ?? []).enumerated() {
            entries.append(try parse(entry, "\(keyPath).users[\(index)]"))
        }
        guard let file = usersFile, !file.isEmpty else { return entries }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).usersFile", "cannot read \(file): \(error.localizedDescription)")
        }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let entry = String(line).trimmingSpaces
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            entries.append(try parse(entry, "\(keyPath).usersFile (\(file) line \(number + 1))"))
        }
        return entries
    }
}
