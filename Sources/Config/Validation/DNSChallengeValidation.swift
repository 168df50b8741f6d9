extension CertificatesResolver.DNSChallenge {
    /// The values in this section that cannot work, each with its key path below
    /// `dnsChallenge` (`.provider`, `.providers[1].suffix`, `.resolvers[0]`; empty for the
    /// section itself) and a message. No message repeats a credential's value.
    ///
    /// - Parameter knownProviders: the names `provider` accepts; `nil` checks only that one is
    ///   set.
    public func problems(knownProviders: [String]?) -> [(keyPath: String, message: String)] {
        var problems: [(String, String)] = []
        let routes = providers ?? []
        if let provider, !provider.isEmpty {
            if let message = Self.providerProblem(provider, known: knownProviders) {
                problems.append((".provider", message))
            }
        } else if routes.isEmpty {
            problems.append((".provider", "missing DNS provider"))
        }
        problems += Self.credentialProblems(prefix: "", provider: provider, file: credentialsFile,
                                            entries: credentials, stored: credential)
        for (index, resolver) in (resolvers ?? []).enumerated() {
            if let message = Self.resolverProblem(resolver) {
                problems.append((".resolvers[\(index)]", message))
            }
        }
        if let timeout = propagation?.timeout, timeout <= .zero {
            problems.append((".propagation.timeout", "must be longer than 0s, got \(timeout)"))
        }
        if let interval = propagation?.interval, interval <= .zero {
            problems.append((".propagation.interval", "must be longer than 0s, got \(interval)"))
        }
        var seen: [String: Int] = [:]
        for (index, route) in routes.enumerated() {
            let prefix = ".providers[\(index)]"
            if let suffix = route.suffix, !suffix.isEmpty {
                let normalized = Self.normalizedSuffix(suffix)
                if let message = Self.suffixProblem(normalized, written: suffix) {
                    problems.append(("\(prefix).suffix", message))
                } else if let other = seen[normalized] {
                    problems.append(("\(prefix).suffix", "suffix \"\(suffix)\" is also in providers[\(other)]"))
                } else {
                    seen[normalized] = index
                }
            } else {
                problems.append(("\(prefix).suffix", "missing suffix (the domain this provider answers for)"))
            }
            if let provider = route.provider, !provider.isEmpty {
                if let message = Self.providerProblem(provider, known: knownProviders) {
                    problems.append(("\(prefix).provider", message))
                }
            } else {
                problems.append(("\(prefix).provider", "missing DNS provider"))
            }
            problems += Self.credentialProblems(prefix: prefix, provider: route.provider, file: route.credentialsFile,
                                                entries: route.credentials, stored: route.credential)
        }
        return problems
    }

    /// `Example.COM.` → `example.com`; `.example.com` → `example.com`.
    public static func normalizedSuffix(_ suffix: String) -> String {
        var text = suffix.lowercased()
        while text.hasPrefix(".") { text.removeFirst() }
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func providerProblem(_ provider: String, known: [String]?) -> String? {
        guard let known, !known.contains(provider.lowercased()) else { return nil }
        let hint = KeySuggestion.closest(to: provider.lowercased(), in: known).map { "; did you mean \"\($0)\"?" } ?? ""
        return "unknown DNS provider \"\(provider)\" (available: \(known.joined(separator: ", ")))\(hint)"
    }

    private static func credentialProblems(
        prefix: String, provider: String?, file: String?, entries: [String: String]?, stored: String?
    ) -> [(String, String)] {
        var problems: [(String, String)] = []
        let hasCredentials = file != nil || entries != nil || stored != nil
        if provider?.lowercased() == "builtin", hasCredentials {
            problems.append((prefix.isEmpty ? ".provider" : "\(prefix).provider",
                             "the builtin provider takes no credentials (credentialsFile, credentials, credential)"))
        }
        if let file, file.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(("\(prefix).credentialsFile", "empty path"))
        }
        if let stored, stored.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(("\(prefix).credential", "empty credential id or name"))
        }
        for name in (entries ?? [:]).keys.sorted() where !isVariableName(name) {
            // The name is shown (it is a key, not a value); the value never is.
            problems.append(("\(prefix).credentials.\(name)",
                             "\"\(name)\" is not an environment variable name (letters, digits and _, as lego names them)"))
        }
        return problems
    }

    private static func isVariableName(_ name: String) -> Bool {
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("A"..."Z").contains(c) || ("a"..."z").contains(c) || c == "_" }
        guard let first = name.unicodeScalars.first, isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// Why `resolver` is not `host:port` (or `host`, port 53), or `nil`.
    static func resolverProblem(_ resolver: String) -> String? {
        let text = resolver.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return "empty resolver address" }
        guard !text.contains(where: \.isWhitespace), !text.contains("/") else {
            return "\"\(resolver)\" is not host:port"
        }
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return "\"\(resolver)\": unclosed [ of an IPv6 address" }
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return "\"\(resolver)\" is not [address]:port" }
                port = rest.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            port = text[text.index(after: colon)...]
            if colon == text.startIndex { return "\"\(resolver)\" has no host" }
        }
        if let port, Int(port).map({ (1...65535).contains($0) }) != true {
            return "\"\(resolver)\": port \"\(port)\" is not a number from 1 to 65535"
        }
        return nil
    }

    /// Why a normalized suffix is not a domain name, or `nil`.
    private static func suffixProblem(_ suffix: String, written: String) -> String? {
        guard !suffix.isEmpty else { return "\"\(written)\" is not a domain name" }
        let labels = suffix.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.count <= 63,
                  label.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
            else {
                return "\"\(written)\" is not a domain name (letters, digits, - and _ in dot-separated labels; no wildcard)"
            }
        }
        return nil
    }
}
