import Foundation

/// One problem found by ``ConfigCheck``: where it is (file, line, key path) and what it is.
public struct ConfigCheckFinding: Sendable, Hashable, CustomStringConvertible {
    /// Whether the problem disables something (`error`) or only looks wrong (`warning`).
    public var severity: ConfigIssue.Severity
    /// The file the problem is in; several for names defined in more than one file.
    public var files: [String]
    /// The 1-based line, when known.
    public var line: Int?
    /// The key path, e.g. `http.routers.api.service`; empty for whole-file problems.
    public var keyPath: String
    /// What is wrong, without the location.
    public var message: String

    /// Creates a finding.
    public init(severity: ConfigIssue.Severity, files: [String], line: Int?, keyPath: String, message: String) {
        self.severity = severity
        self.files = files
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `dyn.yml:12: error: http.routers.api.service: unknown service "x"`
    public var description: String {
        var location = files.isEmpty ? "-" : files.joined(separator: ", ")
        if let line { location += ":\(line)" }
        var text = "\(location): \(severity.rawValue): "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        return text + message
    }
}

/// `gatehouse check-config`: validates a static configuration file and every dynamic file its
/// file provider points to, the way the gateway would load them, and lists every problem.
public enum ConfigCheck {
    /// Checks `staticFile` and the dynamic files it names. An empty result means no problem.
    ///
    /// - Parameters:
    ///   - dnsProviders: the names `dnsChallenge.provider` accepts (the DNS provider registry's);
    ///     `nil` checks only that one is set.
    ///   - moreChecks: checks of the merged dynamic configuration that need other parts
    ///     (e.g. router rule syntax); their issues are located like the built-in ones.
    public static func run(
        staticFile: String, dnsProviders: [String]? = nil, moreChecks: (DynamicConfiguration) -> [ConfigIssue] = { _ in [] }
    ) -> [ConfigCheckFinding] {
        let staticConfig: StaticConfiguration
        do {
            staticConfig = try ConfigLoader.loadStatic(file: staticFile)
        } catch {
            return [finding(error)]
        }
        var findings = staticConfig.validate(dnsProviders: dnsProviders).map { issue in
            ConfigCheckFinding(severity: issue.severity, files: issue.files.isEmpty ? [staticFile] : issue.files,
                               line: line(of: issue.keyPath, inFile: staticFile), keyPath: issue.keyPath,
                               message: issue.item.map { "\($0): \(issue.message)" } ?? issue.message)
        }
        guard let provider = staticConfig.providers?.file else { return findings }

        let files: [String]
        if let directory = provider.directory {
            do {
                files = try ConfigLoader.configurationFiles(in: directory)
            } catch {
                return findings + [finding(error)]
            }
        } else if let filename = provider.filename {
            files = [filename]
        } else {
            return findings
        }
        var parts: [(file: String, configuration: DynamicConfiguration)] = []
        for file in files {
            do {
                parts.append((file, try ConfigLoader.loadDynamic(file: file)))
            } catch {
                findings.append(finding(error))
            }
        }
        let (merged, duplicates) = ConfigLoader.mergeDynamic(parts)
        for issue in duplicates {
            findings.append(ConfigCheckFinding(severity: issue.severity, files: issue.files, line: nil,
                                               keyPath: issue.keyPath, message: issue.message))
        }
        let transports = Set(merged.http.serversTransports.keys).union(staticConfig.serversTransports.keys).union(["default"])
        let issues = merged.validate(entryPoints: staticConfig.entryPoints, serversTransportNames: transports,
                                     certResolverNames: Set(staticConfig.certificatesResolvers.keys)) + moreChecks(merged)
        for issue in issues {
            // The file that defines the item (the path's first three segments, e.g. http.routers.api).
            let owner = issue.files.first ?? owningFile(of: issue.keyPath, among: files)
            findings.append(ConfigCheckFinding(
                severity: issue.severity, files: owner.map { [$0] } ?? issue.files,
                line: owner.flatMap { line(of: issue.keyPath, inFile: $0) }, keyPath: issue.keyPath,
                message: issue.item.map { "\($0): \(issue.message)" } ?? issue.message
            ))
        }
        return findings
    }

    private static func finding(_ error: ConfigError) -> ConfigCheckFinding {
        var message = error.message
        if let suggestion = error.suggestion { message += "; did you mean \"\(suggestion)\"?" }
        return ConfigCheckFinding(severity: .error, files: error.file.map { [$0] } ?? [], line: error.line,
                                  keyPath: error.keyPath, message: message)
    }

    /// The first of `files` whose tree has the item `keyPath` is about.
    private static func owningFile(of keyPath: String, among files: [String]) -> String? {
        let item = segments(keyPath).prefix(3)
        guard item.count == 3 else { return nil }
        return files.first { file in
            guard let root = try? tree(file) else { return false }
            return node(at: Array(item), in: root) != nil
        }
    }

    /// The line of the deepest node along `keyPath` in `file`, if the file parses.
    static func line(of keyPath: String, inFile file: String) -> Int? {
        guard !keyPath.isEmpty, let root = try? tree(file) else { return nil }
        var path = segments(keyPath)
        while !path.isEmpty {
            if let line = node(at: path, in: root) { return line }
            path.removeLast()
        }
        return nil
    }

    private static func tree(_ file: String) throws(ConfigError) -> ConfigNode {
        try ConfigLoader.tree(text: ConfigLoader.readText(file), format: ConfigFormat(fileName: file), fileName: file)
    }

    /// `http.routers.api.servers[0].url` as keys and indices.
    private static func segments(_ keyPath: String) -> [ConfigKeyPath.Segment] {
        var result: [ConfigKeyPath.Segment] = []
        for part in keyPath.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                if let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) { indices.insert(index, at: 0) }
                name = name[..<open]
            }
            if !name.isEmpty { result.append(.key(String(name))) }
            result.append(contentsOf: indices.map { .index($0) })
        }
        return result
    }

    /// The line of the node at `path` (keys case-insensitive), or `nil` when it is not there.
    private static func node(at path: [ConfigKeyPath.Segment], in root: ConfigNode) -> Int? {
        var current = root
        var line = root.line
        for segment in path {
            switch (segment, current.content) {
            case let (.key(key), .map(entries)):
                guard let entry = entries.first(where: { $0.key.lowercased() == key.lowercased() }) else { return nil }
                current = entry.value
                line = entry.line ?? entry.value.line
            case let (.index(index), .list(items)) where items.indices.contains(index):
                current = items[index]
                line = current.line
            default:
                return nil
            }
        }
        return line
    }
}
