/// A reference to a configuration item as written in another item (`svc`, `svc@file`,
/// `svc@api`, `noop@internal`), split into the item's name and provider.
///
/// As in Traefik, a bare name means an item of the referring item's own provider: inside a
/// route made through the admin API, `service: expose-x` is `expose-x@api`; in a file,
/// `service: web` is `web@file`.
public struct ItemReference: Sendable, Hashable, CustomStringConvertible {
    /// The item's name without the provider suffix.
    public var name: String
    /// The provider named by the suffix, or the referring item's when there is none.
    public var provider: ConfigProvider
    /// Whether the reference carried its provider (`@…`).
    public var isExplicit: Bool

    /// Parses `reference`, written in an item of `referrer`.
    public init(_ reference: String, from referrer: ConfigProvider) {
        if let at = reference.lastIndex(of: "@") {
            name = String(reference[..<at])
            provider = ConfigProvider(String(reference[reference.index(after: at)...]))
            isExplicit = true
        } else {
            name = reference
            provider = referrer
            isExplicit = false
        }
    }

    /// Whether Gatehouse has the provider this reference names (``ConfigProvider/known``).
    public var isKnownProvider: Bool { ConfigProvider.known.contains(provider) }

    /// The qualified form, `name@provider`.
    public var qualified: String { provider.qualify(name) }

    public var description: String { qualified }
}
