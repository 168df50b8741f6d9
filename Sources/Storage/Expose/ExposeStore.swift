/// Where the admin API keeps the routes it made, its operations and the changes waiting for
/// approval. Every call is atomic and may come from any task or process.
public protocol ExposeStore: Sendable {
    /// Every stored route, ordered by host.
    func storedRoutes() async throws -> [StoredRoute]

    /// The route for `host`; `nil` when there is none.
    func storedRoute(host: String) async throws -> StoredRoute?

    /// Stores `route`, replacing the one for the same host.
    func saveRoute(_ route: StoredRoute) async throws

    /// Removes the route for `host`; removing one that does not exist does nothing.
    func deleteRoute(host: String) async throws

    /// Stores `operation`, replacing the one with the same id.
    func saveOperation(_ operation: OperationRecord) async throws

    /// The operation with `id`; `nil` when there is none.
    func operation(id: String) async throws -> OperationRecord?

    /// Stores `change`, replacing the one with the same id.
    func saveChange(_ change: ChangeRecord) async throws

    /// The change with `id`; `nil` when there is none.
    func change(id: String) async throws -> ChangeRecord?

    /// The changes, newest first; only those with `status` when given.
    func changes(status: ChangeRecord.Status?) async throws -> [ChangeRecord]
}
