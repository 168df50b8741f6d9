import ACME
import Foundation
import Logging
import Storage
import X509

/// What an operator does to stored certificates (`gatehouse certs …`), with or without a
/// running gateway: the running manager re-reads the storage every second, so a renewal
/// request is picked up and a revoked certificate leaves serving within about a second.
public struct CertificateOperations: Sendable {
    let storage: any CertificateStorage
    let resolvers: [String: ResolverSettings]
    let nodeID: String
    let logger: Logger

    /// - Parameters:
    ///   - storage: the gateway's storage (same data directory).
    ///   - resolvers: the configured resolvers; needed to revoke (the CA and its trusted roots).
    public init(storage: any CertificateStorage, resolvers: [ResolverSettings] = [], nodeID: String = ProcessInfo.processInfo.hostName,
                logger: Logger) {
        self.storage = storage
        self.resolvers = Dictionary(resolvers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.nodeID = nodeID
        self.logger = logger
    }

    /// Every stored certificate, main name order.
    public func list() async throws -> [CertificateRecord] {
        try await storage.certificates(resolver: nil).sorted { ($0.names.first ?? "") < ($1.names.first ?? "") }
    }

    /// The one certificate `nameOrID` designates: its id, or a name it carries (a servable one
    /// first when several do).
    public func find(_ nameOrID: String) async throws -> CertificateRecord {
        let records = try await storage.certificates(resolver: nil)
        if let byID = records.first(where: { $0.id == nameOrID }) { return byID }
        let name = nameOrID.lowercased()
        let matching = records.filter { $0.names.contains(name) }
        if matching.count == 1 { return matching[0] }
        let servable = matching.filter { $0.status.isServable }
        if servable.count == 1 { return servable[0] }
        if matching.isEmpty { throw CertificateManagerError.noCertificate(name: nameOrID) }
        throw CertificateManagerError.ambiguousName(nameOrID, ids: matching.map(\.id))
    }

    /// The certificate's status transitions and its audit events, oldest first.
    public func history(_ nameOrID: String) async throws -> (record: CertificateRecord, transitions: [StatusTransition], events: [AuditEvent]) {
        let record = try await find(nameOrID)
        let transitions = try await storage.statusHistory(certificateID: record.id)
        let events = try await storage.auditEvents(AuditQuery(certificateID: record.id))
        return (record, transitions, events)
    }

    /// Asks `resolver` for a certificate for `names` (normalized, main name first), ordered with
    /// `challenge` (one challenge type) and `dnsCredential` (a stored DNS credential for
    /// DNS-01) when given; stores a pending record the running manager orders.
    ///
    /// When the resolver already has a record for these names:
    /// - a request naming neither a challenge nor a credential, or the same ones as the record,
    ///   gets the record unchanged;
    /// - otherwise the record takes the request's challenge and credential (both, as a pair)
    ///   and, if a certificate was issued under the earlier choice, is due for renewal now, so
    ///   the next order proves the new choice while the current certificate keeps serving. A
    ///   record still pending or failed simply orders with the new choice.
    ///
    /// - Parameters:
    ///   - source: where a new record comes from.
    ///   - reason: a new record's status reason.
    public func issue(
        names: [String], resolver: String, challenge: String? = nil, dnsCredential: String? = nil,
        source: CertificateSource = .acme, reason: String
    ) async throws -> CertificateRecord {
        if let existing = try await storage.certificate(resolver: resolver, names: names) {
            return try await applyPreference(to: existing, challenge: challenge, dnsCredential: dnsCredential)
        }
        do {
            return try await storage.insertCertificate(CertificateRecord(
                resolver: resolver, names: names, status: .pending, statusReason: reason, challenge: challenge,
                dnsCredential: dnsCredential, source: source
            ))
        } catch let error as StorageError where error.code == .duplicateCertificate {
            // Inserted meanwhile (the manager, for a route's demand, or another node).
            guard let existing = try await storage.certificate(resolver: resolver, names: names) else { throw error }
            return try await applyPreference(to: existing, challenge: challenge, dnsCredential: dnsCredential)
        }
    }

    /// `record` with the request's challenge and credential (see ``issue(names:resolver:challenge:dnsCredential:source:reason:)``).
    private func applyPreference(to record: CertificateRecord, challenge: String?, dnsCredential: String?) async throws -> CertificateRecord {
        guard challenge != nil || dnsCredential != nil,
              record.challenge != challenge || record.dnsCredential != dnsCredential else { return record }
        var record = record
        let previous = AuditState.certificate(record).adding(Self.preferenceState(record.challenge, record.dnsCredential))
        let before = Self.preference(record.challenge, record.dnsCredential)
        record.challenge = challenge
        record.dnsCredential = dnsCredential
        var detail = "challenge preference changed from \(before) to \(Self.preference(challenge, dnsCredential))"
        if record.serialNumber != nil, record.status != .revoked {
            record.renewalTime = Date()
            record.nextRetryTime = nil
            record.failureCount = 0
            detail += "; renewal requested so the next order uses it"
        }
        record = try await storage.updateCertificate(record)
        try await storage.appendAuditEvent(AuditEvent(kind: AuditEventKind(rawValue: "certificate.preference-changed"), resolver: record.resolver,
                                                      names: record.names, certificateID: record.id, detail: detail, nodeID: nodeID,
                                                      target: record.id, result: "succeeded", before: previous.json,
                                                      after: AuditState.certificate(record).adding(Self.preferenceState(challenge, dnsCredential)).json))
        return record
    }

    /// `challenge` and `dnsCredential` (the credential's id, never its values) for audit states.
    private static func preferenceState(_ challenge: String?, _ dnsCredential: String?) -> [String: JSONValue] {
        ["challenge": .optional(challenge), "dnsCredential": .optional(dnsCredential)]
    }

    /// `dns-01 with DNS credential "x"`, `the resolver's challenges`, for audit details.
    private static func preference(_ challenge: String?, _ dnsCredential: String?) -> String {
        let base = challenge ?? "the resolver's challenges"
        return dnsCredential.map { "\(base) with DNS credential \"\($0)\"" } ?? base
    }

    /// Asks for a renewal now: the running gateway (or the next start) orders it, and keeps
    /// serving the current certificate until the new one is stored.
    @discardableResult
    public func requestRenewal(_ nameOrID: String) async throws -> CertificateRecord {
        var record = try await find(nameOrID)
        let before = AuditState.certificate(record)
        record.renewalTime = Date()
        record.nextRetryTime = nil
        record.failureCount = 0
        if record.status == .failed { record.statusReason = "renewal requested by operator" }
        record = try await storage.updateCertificate(record)
        try await storage.appendAuditEvent(AuditEvent(kind: AuditEventKind(rawValue: "certificate.renewal-requested"), resolver: record.resolver,
                                                      names: record.names, certificateID: record.id,
                                                      detail: "renewal requested by operator", nodeID: nodeID,
                                                      target: record.id, result: "succeeded", before: before.json,
                                                      after: AuditState.certificate(record).json))
        return record
    }

    /// Revokes the certificate at its CA (signed by the resolver's account key) and marks it
    /// revoked; a running gateway stops serving it at once and orders a new one while routers
    /// still ask for the names.
    @discardableResult
    public func revoke(_ nameOrID: String, reason: RevocationReason?) async throws -> CertificateRecord {
        var record = try await find(nameOrID)
        guard record.serialNumber != nil, let leaf = try record.leafCertificate() else {
            throw CertificateManagerError.notIssued(name: nameOrID)
        }
        guard let settings = resolvers[record.resolver] else { throw CertificateManagerError.unknownResolver(record.resolver) }
        let transport = try AccountClients.transport(for: settings)
        do {
            let client = try await AccountClients.client(for: settings, storage: storage, transport: transport, register: false,
                                                         nodeID: nodeID, logger: logger)
            try await client.revoke(certificate: leaf, reason: reason)
            try await transport.shutdown()
        } catch {
            try? await transport.shutdown()
            throw error
        }
        let before = AuditState.certificate(record)
        record.status = .revoked
        record.statusReason = "revoked by operator" + (reason.map { ", reason \($0)" } ?? "")
        record.renewalTime = nil
        record.nextRetryTime = nil
        record = try await storage.updateCertificate(record)
        try await storage.appendAuditEvent(AuditEvent(kind: .certificateRevoked, resolver: record.resolver, names: record.names,
                                                      certificateID: record.id,
                                                      detail: "serial \(record.serialNumber ?? "?") revoked" + (reason.map { " (\($0))" } ?? ""),
                                                      nodeID: nodeID, target: record.id, result: "succeeded", before: before.json,
                                                      after: AuditState.certificate(record).adding(["reason": reason.map { .int($0.code) } ?? .null]).json))
        return record
    }
}
