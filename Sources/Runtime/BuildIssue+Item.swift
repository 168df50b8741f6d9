import Foundation

extension BuildIssue {
    /// The kind of item the issue disabled, as the builder names it: `router`, `service`,
    /// `tcp router`, `tcp service`, `tcp middleware`, `UDP router`, `UDP service`; `nil` when
    /// the item is not a named one (`tls.options.default`, `tls.certificates[0]`).
    public var itemKind: String? {
        guard let quote = item.firstIndex(of: "\"") else { return nil }
        let kind = item[..<quote].trimmingCharacters(in: .whitespaces)
        return kind.isEmpty ? nil : kind
    }

    /// The name of the item the issue disabled, with its provider (`api@file`); `nil` when the
    /// item is not a named one.
    public var itemName: String? {
        guard let open = item.firstIndex(of: "\""), let close = item.lastIndex(of: "\""), open < close else { return nil }
        return String(item[item.index(after: open)..<close])
    }
}
