import Config

/// The running configuration in the shapes of Traefik's read-only API (`/api/rawdata`,
/// `/api/http/routers`, …), so that tools written for Traefik read Gatehouse.
///
/// Every item carries Traefik's `status` (`enabled` or `disabled`) and, when disabled, its
/// `error` list. Names carry their provider (`web@file`). Differences from Traefik: HTTP
/// middlewares show their `type` but not their options (options may hold credentials), and
/// services have no `serverStatus` yet.
struct TraefikView: Sendable {
    /// The provider every item comes from.
    static let provider = "file"

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

    /// `name@file` for a bare name.
    static func qualified(_ name: String) -> String {
        name.contains("@") ? name : "\(name)@\(provider)"
    }

    /// A reference as written in a router (`svc`, `svc@file`) → the bare name of an item of
    /// this provider, or `nil` for another provider's.
    static func localName(_ reference: String) -> String? {
        guard let at = reference.lastIndex(of: "@") else { return reference }
        return reference[reference.index(after: at)...] == provider ? String(reference[..<at]) : nil
    }

    /// The errors recorded for an item; empty when it is enabled.
    func errors(_ kind: ItemProblem.Kind, _ name: String) -> [String] {
        errors[kind]?[Self.qualified(name)] ?? []
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

    /// Adds `name` and `provider` to an item's info: the list and detail representation.
    static func represent(_ info: JSONObject, name: String) -> JSONObject {
        var object = info
        object.set("name", qualified(name))
        object.set("provider", provider)
        return object
    }

    /// Traefik's info of every item of one kind (services, middlewares), by qualified name: what
    /// `describe` writes, then the status (with errors) and the routers that use the item.
    func usedItemInfos<Item>(
        _ items: [String: Item], _ kind: ItemProblem.Kind, usedBy routers: [(name: String, references: [String])],
        _ describe: (Item, inout JSONObject) -> Void
    ) -> [String: JSONObject] {
        var result: [String: JSONObject] = [:]
        for (name, item) in items {
            var info = JSONObject()
            describe(item, &info)
            setStatus(&info, kind, name)
            info.set("usedBy", Self.users(of: name, in: routers))
            result[Self.qualified(name)] = info
        }
        return result
    }

    /// The router names (qualified, sorted) whose reference list `references` names `name`.
    static func users(of name: String, in routers: [(name: String, references: [String])]) -> [String] {
        routers.filter { router in router.references.contains { localName($0) == name } }
            .map { qualified($0.name) }
            .sorted()
    }

    /// A Go-style duration text.
    static func duration(_ duration: ConfigDuration?) -> JSONValue? {
        duration.map { .string($0.description) }
    }
}
