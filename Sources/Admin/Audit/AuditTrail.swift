import Storage

/// The append-only audit log as the admin API uses it: it lists events and records every change
/// made through the API. The gateway hands in its storage.
public protocol AuditTrail: Sendable {
    /// The events that match `query`.
    func events(_ query: AuditQuery) async throws -> [AuditEvent]

    /// Appends `event`.
    func append(_ event: AuditEvent) async throws
}
