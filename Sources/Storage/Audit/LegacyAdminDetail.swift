/// The token and result of an admin change stored before schema migration 6, when they were
/// folded into the detail text as `token=<name> result=<result>: …` (events of kind `admin.*`).
/// Rows written since carry them in their own columns; old rows are read through this.
enum LegacyAdminDetail {
    /// The kind prefix of admin changes.
    static let kindPrefix = "admin."

    /// The token name and result in `detail` of an event of `kind`; `nil` when it is not an old
    /// admin change.
    static func parse(kind: String, detail: String) -> (token: String, result: String)? {
        guard kind.hasPrefix(kindPrefix) else { return nil }
        let words = detail.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0].hasPrefix("token="), words[1].hasPrefix("result=") else { return nil }
        let result = words[1].dropFirst("result=".count)
        return (String(words[0].dropFirst("token=".count)), String(result.hasSuffix(":") ? result.dropLast() : result))
    }
}
