/// Which provider each item of a dynamic configuration comes from, kept next to the items when
/// providers' configurations are merged (the items themselves stay keyed by bare name, so the
/// builder, validation and views work unchanged on one merged configuration).
///
/// Items not recorded are the file provider's. This is the one place that turns an item's
/// kind and name into its qualified name (``qualifiedName(_:_:)``), and that decides which
/// item a reference names (``resolvedName(_:kind:from:)``).
public struct ItemOrigins: Sendable, Equatable {
    private var providers: [ConfigItem: ConfigProvider] = [:]

    /// No item recorded: everything is the file provider's.
    public init() {}

    /// The provider of the item of `kind` named `name` (``ConfigProvider/file`` unless recorded).
    /// Setting ``ConfigProvider/file`` forgets the record.
    public subscript(kind: ConfigItemKind, name: String) -> ConfigProvider {
        get { providers[ConfigItem(kind: kind, name: name)] ?? .file }
        set { providers[ConfigItem(kind: kind, name: name)] = newValue == .file ? nil : newValue }
    }

    /// `name@provider` for the item of `kind` named `name` (`web@file`, `expose-a.example@api`).
    public func qualifiedName(_ kind: ConfigItemKind, _ name: String) -> String {
        self[kind, name].qualify(name)
    }

    /// The providers other than the file provider that have items here, sorted.
    public var otherProviders: [ConfigProvider] { Set(providers.values).sorted() }

    /// The bare name of the item of `kind` that `reference` (written in an item of `referrer`)
    /// names, if an item of that name would belong to the reference's provider; `nil` when it
    /// names another provider's item (`x@api` while `x` is a file item or not recorded at all; a
    /// bare `x` in a file item while `x` is an API item; `x@internal`; an unknown provider). The
    /// caller still looks the name up: a file item may not exist at all.
    public func resolvedName(_ reference: String, kind: ConfigItemKind, from referrer: ConfigProvider) -> String? {
        let parsed = ItemReference(reference, from: referrer)
        guard parsed.provider != .internal, parsed.isKnownProvider else { return nil }
        return self[kind, parsed.name] == parsed.provider ? parsed.name : nil
    }

    /// `reference` with its provider made explicit (`svc` written in an API item → `svc@api`).
    public static func qualifiedReference(_ reference: String, from referrer: ConfigProvider) -> String {
        ItemReference(reference, from: referrer).qualified
    }
}
