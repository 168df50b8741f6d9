import Storage

/// The audit log of a certificate storage, as an ``AuditTrail``.
public struct StorageAuditTrail: AuditTrail {
    private let storage: any CertificateStorage
    private let nodeID: String?

    /// The log in `storage`; events are stamped with `nodeID`.
    public init(storage: any CertificateStorage, nodeID: String? = nil) {
        self.storage = storage
        self.nodeID = nodeID
    }

    /// See ``AuditTrail/events(_:)``.
    public func events(_ query: AuditQuery) async throws -> [AuditEvent] {
        try await storage.auditEvents(query)
    }

    /// See ``AuditTrail/append(_:)``.
    public func append(_ event: AuditEvent) async throws {
        var event = event
        if event.nodeID == nil { event.nodeID = nodeID }
        try await storage.appendAuditEvent(event)
    }
}
