/// Runs read-modify-write changes of one provider's record sets one after the other, so an apex
/// and its wildcard presented at the same time do not both read the set before either writes it
/// (Route 53 and Cloud DNS replace whole record sets).
actor RecordSetSerializer {
    private var tail: Task<Void, Never>?

    /// Runs `operation` after every operation started before it has finished.
    func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task {
            _ = await previous?.value
            return try await operation()
        }
        tail = Task { _ = await task.result }
        return try await task.value
    }
}
