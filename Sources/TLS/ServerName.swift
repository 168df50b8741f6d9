/// How server names are compared: ASCII case-insensitively, with one trailing dot ignored.
public enum ServerName {
    /// `Example.COM.` → `example.com`.
    public static func normalize(_ name: some StringProtocol) -> String {
        var name = Substring(name)
        if name.hasSuffix(".") {
            name = name.dropLast()
        }
        return name.lowercased()
    }

    /// For `a.example.com` returns `example.com`: the key under which `*.example.com` is indexed.
    /// `nil` when the name has a single label or an empty first label, which no wildcard matches.
    static func wildcardParent(of normalized: String) -> Substring? {
        guard let dot = normalized.firstIndex(of: "."), dot != normalized.startIndex else {
            return nil
        }
        let parent = normalized[normalized.index(after: dot)...]
        return parent.isEmpty ? nil : parent
    }
}
