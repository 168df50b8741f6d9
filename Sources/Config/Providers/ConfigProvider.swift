/// The provider a dynamic configuration item comes from, as Traefik writes it after the `@` of
/// a qualified name (`web@file`, `expose-app.example.com@api`).
///
/// A struct with static members rather than an enum, so that a new provider (`docker`, …) is
/// one more member, not a break for callers.
public struct ConfigProvider: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The provider's name as it appears in qualified names (`file`).
    public let name: String

    /// A provider named `name`.
    public init(_ name: String) {
        self.name = name
    }

    /// The file provider (`providers.file`): the default for every item.
    public static let file = ConfigProvider("file")
    /// Routes made through the admin API (`POST /api/v1/expose`).
    public static let api = ConfigProvider("api")
    /// Items Gatehouse makes itself (`api@internal`, entry point redirections).
    public static let `internal` = ConfigProvider("internal")

    /// The providers a reference may name; any other `@provider` suffix is an error.
    public static let known: [ConfigProvider] = [.file, .api, .internal]

    /// `name@provider`.
    public func qualify(_ name: String) -> String { "\(name)@\(self.name)" }

    public static func < (lhs: ConfigProvider, rhs: ConfigProvider) -> Bool { lhs.name < rhs.name }

    public var description: String { name }
}
