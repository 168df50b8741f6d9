import Config
import Storage

/// The running configuration in the shapes of Traefik's read-only API (`/api/rawdata`,
/// `/api/http/routers`, …), so that tools written for Traefik read Gatehouse.
///
/// Every item carries Traefik's `status` (`enabled` or `disabled`) and, when disabled, its
/// `error` list. Names carry their provider (`web@file`, `expose-app.example@api`, from the
/// configuration's ``Config/ItemOrigins``), and so does the `provider` field. Differences from Traefik: HTTP
/// middlewares show their `type` but not their options (options may hold credentials), and
/// services have no `serverStatus` yet.
struct TraefikView: Sendable {
    let state: RuntimeState
    private let errors: [ItemProblem.Kind: [String: [String]]]

    init(_ state: RuntimeState) {
        self.state = state
        var errors: [ItemProblem.Kind: [String: [String]]] = [:]
        for problem in state.problems {
            errors[problem.kind, default: [:]][problem.name, default: []].append(problem.message)
        }
        self.errors = errors
    }

    /// The provider of the item of `kind` named `name` (bare).
    func provider(_ kind: ItemProblem.Kind, _ name: String) -> ConfigProvider {
        state.configuration.provider(of: kind.configItemKind, name)
    }

    /// `name@provider` for the item of `kind` named `name` (bare).
    func qualified(_ kind: ItemProblem.Kind, _ name: String) -> String {
        state.configuration.qualifiedName(kind.configItemKind, name)
    }

    /// A reference of kind `kind` as written in an item of `referrer` (`svc`, `svc@file`,
    /// `svc@api`) → the bare name of the item it names, or `nil` when it names another
    /// provider's item (`x@internal`, or an item of that name that belongs to another provider).
    func localName(_ reference: String, _ kind: ItemProblem.Kind, from referrer: ConfigProvider) -> String? {
        state.configuration.origins.resolvedName(reference, kind: kind.configItemKind, from: referrer)
    }

    /// The errors recorded for an item; empty when it is enabled.
    func errors(_ kind: ItemProblem.Kind, _ name: String) -> [String] {
        errors[kind]?[qualified(kind, name)] ?? []
    }

    /// Sets `status` and `error` on `object` as Traefik does.
    func setStatus(_ object: inout JSONObject, _ kind: ItemProblem.Kind, _ name: String) {
        let messages = errors(kind, name)
        object.set("status", messages.isEmpty ? "enabled" : "disabled")
        object.set("error", messages)
    }

    /// Whether the item has no recorded problem.
    func isEnabled(_ kind: ItemProblem.Kind, _ name: String) -> Bool {
        errors(kind, name).isEmpty
    }

    /// Adds `name` (qualified, as the infos are keyed) and `provider` (its suffix) to an item's
    /// info: the list and detail representation.
    static func represent(_ info: JSONObject, name: String) -> JSONObject {
        var object = info
        object.set("name", name)
        object.set("provider", ItemReference(name, from: .file).provider.name)
        return object
    }

    /// Traefik's info of every item of one kind (services, middlewares), by qualified name: what
    /// `describe` writes, then the status (with errors) and the routers that use the item.
    func usedItemInfos<Item>(
        _ items: [String: Item], _ kind: ItemProblem.Kind,
        usedBy routers: [(name: String, references: [String])], of routerKind: ItemProblem.Kind,
        _ describe: (Item, inout JSONObject) -> Void
    ) -> [String: JSONObject] {
        var result: [String: JSONObject] = [:]
        for (name, item) in items {
            var info = JSONObject()
            describe(item, &info)
            setStatus(&info, kind, name)
            info.set("usedBy", users(of: name, kind, in: routers, of: routerKind))
            result[qualified(kind, name)] = info
        }
        return result
    }

    /// The router names (qualified, sorted) whose reference list `references` names the item
    /// of `kind` named `name`.
    func users(
        of name: String, _ kind: ItemProblem.Kind, in routers: [(name: String, references: [String])], of routerKind: ItemProblem.Kind
    ) -> [String] {
        routers.filter { router in
            let referrer = provider(routerKind, router.name)
            return router.references.contains { localName($0, kind, from: referrer) == name }
        }
        .map { qualified(routerKind, $0.name) }
        .sorted()
    }

    /// A Go-style duration text.
    static func duration(_ duration: ConfigDuration?) -> JSONValue? {
        duration.map { .string($0.description) }
    }
}
