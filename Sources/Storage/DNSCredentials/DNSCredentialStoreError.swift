/// A DNS credential could not be stored as asked.
public struct DNSCredentialStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case invalidName(String)
        case duplicateName(String)
    }

    private let reason: Reason

    /// The name is empty, longer than 64 characters, or holds characters other than letters,
    /// digits, `.`, `_` and `-`.
    public static func invalidName(_ name: String) -> DNSCredentialStoreError { .init(reason: .invalidName(name)) }
    /// A credential with the name exists.
    public static func duplicateName(_ name: String) -> DNSCredentialStoreError { .init(reason: .duplicateName(name)) }

    /// Whether the error is about a name that is taken.
    public var isDuplicateName: Bool {
        if case .duplicateName = reason { return true }
        return false
    }

    /// `a DNS credential named "x" exists; delete it first or choose another name`.
    public var description: String {
        switch reason {
        case .invalidName(let name):
            "DNS credential name \"\(name)\" is not usable: use 1 to 64 letters, digits, \".\", \"_\" or \"-\""
        case .duplicateName(let name):
            "a DNS credential named \"\(name)\" exists; delete it first or choose another name"
        }
    }
}
