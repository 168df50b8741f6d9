import Foundation

/// A provider's credentials and settings by lego's environment variable names
/// (`CF_DNS_API_TOKEN`, `RFC2136_TSIG_SECRET`, …), so a Traefik setup moves over without edits.
///
/// Values are looked up, in order: the entries given explicitly (from a credentials file named
/// in the static configuration, or a credential stored through the admin API), then the
/// process environment. For each name `X`, `X_FILE` names a file whose contents (trailing
/// newlines removed) are the value, as lego reads them.
///
/// ``description`` lists the names that are set, never a value.
public struct DNSCredentials: Sendable, CustomStringConvertible {
    private let explicit: [String: String]
    private let environment: [String: String]
    private let readFile: @Sendable (String) throws -> String

    /// - Parameters:
    ///   - explicit: entries that win over the environment.
    ///   - environment: the process environment; default `ProcessInfo.processInfo.environment`.
    ///   - readFile: reads a `_FILE` path; default reads the file as UTF-8.
    public init(
        _ explicit: [String: String] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readFile: @escaping @Sendable (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) {
        self.explicit = explicit
        self.environment = environment
        self.readFile = readFile
    }

    /// The value of `name` (or read from the file `name_FILE` names); `nil` when neither is set
    /// or the value is empty.
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming `name_FILE` when the file
    ///   cannot be read.
    public func value(_ name: String, provider: String) throws(DNSProviderError) -> String? {
        for source in [explicit, environment] {
            if let direct = source[name], !direct.isEmpty { return direct }
            if let path = source[name + "_FILE"], !path.isEmpty {
                let text: String
                do {
                    text = try readFile(path)
                } catch {
                    throw DNSProviderError(.configuration, provider: provider, "\(name)_FILE: cannot read \"\(path)\": \(error.localizedDescription)")
                }
                let trimmed = text.trimmingCharacters(in: .newlines)
                return trimmed.isEmpty ? nil : trimmed
            }
        }
        return nil
    }

    /// The first of `names` that is set (lego's aliases, e.g. `CF_DNS_API_TOKEN` and
    /// `CLOUDFLARE_DNS_API_TOKEN`).
    public func value(anyOf names: [String], provider: String) throws(DNSProviderError) -> String? {
        for name in names {
            if let value = try value(name, provider: provider) { return value }
        }
        return nil
    }

    /// The value of the first of `names` that is set.
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming the variables when none is set.
    public func required(_ names: String..., provider: String) throws(DNSProviderError) -> String {
        guard let value = try value(anyOf: names, provider: provider) else {
            let list = names.map { "\($0) (or \($0)_FILE)" }.joined(separator: " or ")
            throw DNSProviderError(.configuration, provider: provider, "missing \(list)")
        }
        return value
    }

    /// A whole number of seconds from `name` (`CF_TTL`, `RFC2136_PROPAGATION_TIMEOUT`), or `nil`.
    /// - Throws: ``DNSProviderError/Kind/configuration`` when set but not a whole number.
    public func seconds(_ name: String, provider: String) throws(DNSProviderError) -> Int? {
        guard let text = try value(name, provider: provider) else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), number >= 0 else {
            throw DNSProviderError(.configuration, provider: provider, "\(name) must be a whole number of seconds, not \"\(text)\"")
        }
        return number
    }

    /// The names set explicitly or in the environment among `names` (for messages; no values).
    public func namesSet(among names: [String]) -> [String] {
        names.filter { name in
            [explicit, environment].contains { $0[name].map { !$0.isEmpty } == true || $0[name + "_FILE"] != nil }
        }
    }

    /// Parses a credentials file: `NAME=value` lines (an optional `export ` prefix, `#`
    /// comments, blank lines, values optionally in single or double quotes), as in a
    /// systemd `EnvironmentFile` or a Docker `env_file`.
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming the file and line of a line
    ///   that is not `NAME=value` (the line itself is not shown: it may hold a secret).
    public static func parseEnvironmentFile(_ text: String, path: String, provider: String) throws(DNSProviderError) -> [String: String] {
        var entries: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                throw DNSProviderError(.configuration, provider: provider, "\(path):\(index + 1): expected NAME=value")
            }
            let name = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            entries[name] = value
        }
        return entries
    }

    /// The names of the explicit entries (values are never shown).
    public var description: String {
        "DNSCredentials(\(explicit.keys.sorted().joined(separator: ", ")))"
    }
}
