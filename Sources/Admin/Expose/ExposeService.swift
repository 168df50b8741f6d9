import Foundation
import Logging
import Storage

/// The expose chain behind the admin API: takes validated requests, refuses clashes, runs
/// operations in the background (one per host at a time), keeps changes waiting for approval
/// when `admin.requireApproval` is on, and audits every change and decision.
///
/// ```swift
/// let service = ExposeService(store: storage, control: gateway, certificates: certificates, audit: audit, logger: logger)
/// switch try await service.expose(spec, token: "deploy") {
/// case .operation(let operation): …      // runs on; GET /api/v1/operations/{id}
/// case .pendingChange(let change): …     // waits for POST /api/v1/changes/{id}/approve
/// }
/// ```
public actor ExposeService {
    /// What a request led to.
    public enum Outcome: Sendable {
        /// An operation, started.
        case operation(OperationRecord)
        /// A change waiting for approval; nothing is applied yet.
        case pendingChange(ChangeRecord)
    }

    /// The gateway's settings for expose requests.
    public nonisolated let settings: ExposeSettings
    private let store: any ExposeStore
    private let control: any ExposeControl
    private let certificates: (any CertificateControl)?
    private let audit: (any AuditTrail)?
    private let logger: Logger
    private var running: [String: String] = [:]
    private var tasks: [String: Task<OperationRecord, Never>] = [:]
    /// The route each running operation started from, for its audit entry when it ends.
    private var startedFrom: [String: ExposeSpec] = [:]

    /// - Parameters:
    ///   - store: where routes, operations and changes are stored.
    ///   - control: the running gateway.
    ///   - certificates: the certificate operations (https needs them).
    ///   - audit: where every change is recorded.
    public init(store: any ExposeStore, control: any ExposeControl, certificates: (any CertificateControl)?, audit: (any AuditTrail)?,
                logger: Logger) {
        self.store = store
        self.control = control
        self.settings = control.settings
        self.certificates = certificates
        self.audit = audit
        self.logger = logger
    }

    // MARK: Requests

    /// Exposes `spec` for `token`: refused on a clash with the file provider or while an
    /// operation for the host runs; otherwise a pending change (approvals required) or a
    /// started operation.
    ///
    /// - Throws: ``ExposeError``, or a storage error.
    public func expose(_ spec: ExposeSpec, token: String) async throws -> Outcome {
        let clashes = RouteClash.clashes(of: spec, with: await control.fileConfiguration())
        if !clashes.isEmpty {
            let existing = try? await store.storedRoute(host: spec.host)
            await record("expose", token: token, spec: spec, result: "refused", note: clashes.joined(separator: "; "),
                         before: existing.map { Self.state($0.spec) }, after: existing.map { Self.state($0.spec) })
            throw ExposeError.clash(host: spec.host, clashes: clashes)
        }
        let existing = try await store.storedRoute(host: spec.host)
        if settings.requireApproval {
            let known = (try? await certificates?.certificates()) ?? []
            let change = ChangeRecord(action: "expose", host: spec.host, spec: spec,
                                      plan: ExposePlan.expose(spec, existing: existing, certificates: known), requestedBy: token)
            try await store.saveChange(change)
            await record("expose", token: token, spec: spec, result: "pending", note: "change \(change.id) waits for approval",
                         before: existing.map { Self.state($0.spec) }, after: Self.state(change))
            return .pendingChange(change)
        }
        let operation = try await start(action: "expose", host: spec.host, spec: spec, token: token, changeID: nil, from: existing?.spec)
        await record("expose", token: token, spec: spec, result: "accepted", note: "operation \(operation.id)",
                     before: existing.map { Self.state($0.spec) }, after: Self.state(spec))
        return .operation(operation)
    }

    /// Removes the route for `host`: a pending change or a started operation.
    ///
    /// - Throws: ``ExposeError/noRoute(host:)`` when no API route serves it, or ``ExposeError/busy(host:operationID:)``.
    public func unexpose(host: String, token: String) async throws -> Outcome {
        guard let route = try await store.storedRoute(host: host) else { throw ExposeError.noRoute(host: host) }
        if settings.requireApproval {
            let others = try await store.storedRoutes().filter { $0.host != host }
            let change = ChangeRecord(action: "unexpose", host: host, spec: route.spec,
                                      plan: ExposePlan.unexpose(route, others: others), requestedBy: token)
            try await store.saveChange(change)
            await record("unexpose", token: token, spec: route.spec, result: "pending", note: "change \(change.id) waits for approval",
                         before: Self.state(route.spec), after: Self.state(change))
            return .pendingChange(change)
        }
        let operation = try await start(action: "unexpose", host: host, spec: route.spec, token: token, changeID: nil, from: route.spec)
        await record("unexpose", token: token, spec: route.spec, result: "accepted", note: "operation \(operation.id)",
                     before: Self.state(route.spec), after: nil)
        return .operation(operation)
    }

    /// Approves change `id` for `token` and starts its operation.
    ///
    /// - Throws: ``ExposeError/noChange(id:)``, ``ExposeError/decided(id:status:)``,
    ///   ``ExposeError/ownChange(id:token:)`` (four-eyes), ``ExposeError/clash(host:clashes:)``
    ///   when the file provider took the host meanwhile.
    public func approve(changeID id: String, token: String) async throws -> (ChangeRecord, OperationRecord) {
        var change = try await pendingChange(id)
        if settings.fourEyes && change.requestedBy == token {
            await record("change.approve", token: token, target: id, names: [change.host], result: "refused", note: "four-eyes: own change",
                         before: Self.state(change), after: Self.state(change))
            throw ExposeError.ownChange(id: id, token: token)
        }
        let pending = change
        let existing = try await store.storedRoute(host: change.host)
        if change.action == "expose", let spec = change.spec {
            let clashes = RouteClash.clashes(of: spec, with: await control.fileConfiguration())
            if !clashes.isEmpty { throw ExposeError.clash(host: spec.host, clashes: clashes) }
        } else if existing == nil {
            throw ExposeError.noRoute(host: change.host)
        }
        let operation = try await start(action: change.action, host: change.host, spec: change.spec, token: change.requestedBy, changeID: id,
                                        from: existing?.spec)
        change.status = .approved
        change.decidedBy = token
        change.decidedAt = Date()
        change.operationID = operation.id
        try await store.saveChange(change)
        await record("change.approve", token: token, target: id, names: [change.host], result: "succeeded",
                     note: "\(change.action) \(change.host) requested by \(change.requestedBy); operation \(operation.id)",
                     before: Self.state(pending), after: Self.state(change))
        return (change, operation)
    }

    /// Rejects change `id` for `token`; nothing is applied.
    public func reject(changeID id: String, token: String) async throws -> ChangeRecord {
        var change = try await pendingChange(id)
        let pending = change
        change.status = .rejected
        change.decidedBy = token
        change.decidedAt = Date()
        try await store.saveChange(change)
        await record("change.reject", token: token, target: id, names: [change.host], result: "succeeded",
                     note: "\(change.action) \(change.host) requested by \(change.requestedBy)",
                     before: Self.state(pending), after: Self.state(change))
        return change
    }

    /// Undoes what operations cut short by a stop left behind: a prepared route (not served,
    /// waiting for its certificate) is removed and its operation marked failed. Call at start,
    /// before the stored routes are served. Returns the hosts cleaned up.
    public func recoverInterrupted() async throws -> [String] {
        var cleaned: [String] = []
        for route in try await store.storedRoutes() where route.state == .prepared && running[route.host] == nil {
            try await store.deleteRoute(host: route.host)
            cleaned.append(route.host)
            guard let id = route.operationID, var operation = try await store.operation(id: id), operation.status == .running else { continue }
            operation.status = .failed
            operation.error = "interrupted by a restart of the gateway; the prepared route was removed"
            operation.finishedAt = Date()
            for index in operation.steps.indices where operation.steps[index].status == .pending || operation.steps[index].status == .running {
                operation.steps[index].status = .skipped
                operation.steps[index].detail = "not finished: the gateway stopped"
            }
            try await store.saveOperation(operation)
            await record(operation.action, token: operation.requestedBy, spec: operation.spec, result: "failed",
                         note: "operation \(operation.id): \(operation.error ?? "")",
                         before: Self.state(route.spec).adding(["state": .string(route.state.rawValue)]), after: nil)
        }
        return cleaned
    }

    // MARK: Reading

    /// The operation with `id`.
    public func operation(id: String) async throws -> OperationRecord? {
        try await store.operation(id: id)
    }

    /// The change with `id`.
    public func change(id: String) async throws -> ChangeRecord? {
        try await store.change(id: id)
    }

    /// The changes, newest first; only those with `status` when given.
    public func changes(status: ChangeRecord.Status?) async throws -> [ChangeRecord] {
        try await store.changes(status: status)
    }

    /// Waits for operation `id`, started by this service, to end and returns it; `nil` when it
    /// is not one of this process's running operations.
    public func waitForOperation(id: String) async -> OperationRecord? {
        guard let task = tasks[id] else { return try? await store.operation(id: id) }
        return await task.value
    }

    // MARK: Internals

    private func pendingChange(_ id: String) async throws -> ChangeRecord {
        guard let change = try await store.change(id: id) else { throw ExposeError.noChange(id: id) }
        guard change.status == .pending else { throw ExposeError.decided(id: id, status: change.status.rawValue) }
        return change
    }

    /// Stores a new operation for `host` and runs it in the background.
    /// `from` is the route the operation starts from, for the audit entry when it ends.
    private func start(action: String, host: String, spec: ExposeSpec?, token: String, changeID: String?,
                       from: ExposeSpec?) async throws -> OperationRecord {
        if let busy = running[host] { throw ExposeError.busy(host: host, operationID: busy) }
        var operation = OperationRecord(action: action, host: host, spec: spec, requestedBy: token, changeID: changeID,
                                        stepNames: ExposeOperationRunner.stepNames)
        running[host] = operation.id
        let now = Date()
        operation.status = .running
        operation.steps[0].status = .succeeded
        operation.steps[0].startedAt = now
        operation.steps[0].finishedAt = now
        operation.steps[0].detail = action == "expose" ? "every field checked; no clash with the file provider" : "an API route serves \(host)"
        do {
            try await store.saveOperation(operation)
        } catch {
            running[host] = nil
            throw error
        }
        startedFrom[operation.id] = from
        let runner = ExposeOperationRunner(store: store, control: control, certificates: certificates, logger: logger)
        let started = operation
        let task = Task {
            let ended = action == "expose" ? await runner.runExpose(started) : await runner.runUnexpose(started)
            await self.ended(ended)
            return ended
        }
        tasks[operation.id] = task
        return operation
    }

    /// Bookkeeping and audit once an operation ended: the route it started from before, and
    /// after the route it made (expose), none (unexpose), or on failure the one it started from
    /// (what it made is undone).
    private func ended(_ operation: OperationRecord) async {
        running[operation.host] = nil
        tasks[operation.id] = nil
        let from = startedFrom.removeValue(forKey: operation.id).map(Self.state)
        var to = from
        if operation.status == .succeeded {
            to = operation.action == "expose" ? operation.spec.map(Self.state) : nil
        }
        await record(operation.action, token: operation.requestedBy, spec: operation.spec, result: operation.status.rawValue,
                     note: "operation \(operation.id)" + (operation.error.map { ": \($0)" } ?? ""), before: from, after: to)
    }

    /// Appends an audit event for a change about `spec`.
    private func record(_ action: String, token: String, spec: ExposeSpec?, result: String, note: String, before: AuditState?,
                        after: AuditState?) async {
        var words = [note]
        if let spec { words.append(Self.summary(spec)) }
        await record(action, token: token, target: spec?.host ?? "?", names: spec.map { [$0.host] } ?? [], resolver: spec?.resolver,
                     result: result, note: words.joined(separator: "; "), before: before, after: after)
    }

    private func record(_ action: String, token: String, target: String, names: [String], resolver: String? = nil, result: String,
                        note: String, before: AuditState?, after: AuditState?) async {
        guard let audit else { return }
        let entry = AdminChange(action: action, token: token, target: target, names: names, resolver: resolver, result: result, note: note,
                                before: before, after: after)
        do {
            try await audit.append(entry.event)
        } catch {
            logger.error("admin change not audited", metadata: ["action": "\(action)", "target": "\(target)", "error": "\(error)"])
        }
    }

    /// A route as the audit log records it: the request's fields (``ExposeView/requestFields(_:)``).
    static func state(_ spec: ExposeSpec) -> AuditState {
        AuditState(ExposeView.requestFields(spec))
    }

    /// A change as the audit log records it: its id, status, action, host, and while pending
    /// the plan (`action`, `kind`, `name`, `detail` per item); once decided, who decided and the
    /// operation started.
    static func state(_ change: ChangeRecord) -> AuditState {
        var fields: [String: JSONValue] = [
            "change": .string(change.id), "status": .string(change.status.rawValue), "action": .string(change.action),
            "hostname": .string(change.host), "requested_by": .string(change.requestedBy),
        ]
        if change.status == .pending {
            fields["plan"] = .array(change.plan.map { item in
                .object(["action": .string(item.action), "kind": .string(item.kind), "name": .string(item.name),
                         "detail": .optional(item.detail)])
            })
        }
        if let decidedBy = change.decidedBy { fields["decided_by"] = .string(decidedBy) }
        if let operationID = change.operationID { fields["operation"] = .string(operationID) }
        return AuditState(fields)
    }

    /// `https app.example.com → http://10.0.0.5:8080 on websecure (resolver le)`.
    static func summary(_ spec: ExposeSpec) -> String {
        var text = "\(ExposePlan.describe(spec)) \(spec.host) → \(spec.backends.joined(separator: ", ")) on \(spec.entryPoints.joined(separator: ", "))"
        if let resolver = spec.resolver { text += " (resolver \(resolver))" }
        return text
    }
}
