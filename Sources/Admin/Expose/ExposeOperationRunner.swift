import Foundation
import Logging
import Storage

/// Carries out one operation, step by step, storing the record after every transition so that
/// `GET /api/v1/operations/{id}` shows it as it happens.
///
/// Expose: validate (done before the operation was accepted) → route (stored, prepared: not
/// served; its certificate demanded) → certificate (a valid one reused, else ordered and waited
/// for until valid or failed) → activate (served). http and passthrough skip the certificate.
/// When a step fails, what the operation made is undone: the route as it was before (or none),
/// a certificate record it created and that was never issued. There is never a live https route
/// without its certificate.
///
/// Unexpose: validate → route (removed) → certificate (released: no longer demanded, so no
/// longer renewed, unless another route uses it) → activate (the data plane stops serving it).
struct ExposeOperationRunner: Sendable {
    let store: any ExposeStore
    let control: any ExposeControl
    let certificates: (any CertificateControl)?
    let logger: Logger

    /// The step names of every operation, in order.
    static let stepNames = ["validate", "route", "certificate", "activate"]

    /// A step that failed, with the reason shown to the operator.
    private struct StepFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// Runs `operation` (an expose) to its end and returns it as stored last.
    func runExpose(_ operation: OperationRecord) async -> OperationRecord {
        var operation = operation
        guard let spec = operation.spec else { return await finish(&operation, error: "the operation has no request") }
        let previous: StoredRoute?
        do {
            previous = try await store.storedRoute(host: spec.host)
        } catch {
            return await finish(&operation, error: "the route storage is unavailable: \(error)")
        }
        // The certificate record waited for: discarded on failure when it was never issued and
        // no other API route uses it (the manager may have made it for the prepared route).
        var pendingCertificate: String?
        do {
            // Route: prepared (not served) unless it is already live under a valid certificate of
            // the same names, in which case it is updated in place and stays live.
            var route = StoredRoute(spec: spec, state: .prepared, operationID: operation.id, createdAt: previous?.createdAt ?? Date())
            var updateInPlace = false
            if let previous, previous.state == .active, spec.needsCertificate, previous.spec.needsCertificate,
               previous.spec.certificateNames == spec.certificateNames, previous.spec.resolver == spec.resolver,
               let id = previous.certificateID, let record = try? await certificates?.certificate(id: id), record.status.isServable {
                updateInPlace = true
                route.state = .active
                route.certificateID = id
            } else if let previous, previous.state == .active, !spec.needsCertificate, !previous.spec.needsCertificate {
                updateInPlace = true
                route.state = .active
            }
            try await step("route", &operation) {
                try await store.saveRoute(route)
                await control.routesChanged(try await store.storedRoutes())
                if let previous {
                    if previous.spec == spec { return "\(spec.itemName) unchanged" }
                    return updateInPlace ? "\(spec.itemName) updated in place (backends \(spec.backends.joined(separator: ", ")))"
                        : "\(spec.itemName) prepared, replacing the previous route (not served until activated)"
                }
                return "\(spec.itemName) prepared (not served until activated)"
            }

            // Certificate.
            if spec.needsCertificate {
                try await step("certificate", &operation) {
                    let (record, created) = try await obtainCertificate(spec)
                    pendingCertificate = record.id
                    let wait = try await waitUntilValid(record, settings: control.settings)
                    route.certificateID = wait.id
                    pendingCertificate = nil
                    let until = wait.notAfter.map { ", valid until \($0.formatted(.iso8601))" } ?? ""
                    return created ? "certificate \(wait.id) issued for \(wait.names.joined(separator: ", "))\(until)"
                        : "certificate \(wait.id) reused\(until)"
                }
            } else {
                skip("certificate", &operation, detail: spec.tlsPassthrough ? "passthrough: the backends present their own certificate" : "http: no certificate")
            }

            // Activate.
            try await step("activate", &operation) {
                route.state = .active
                route.updatedAt = Date()
                try await store.saveRoute(route)
                await control.routesChanged(try await store.storedRoutes())
                return "served on \(spec.entryPoints.joined(separator: ", "))"
            }
            return await finish(&operation, error: nil)
        } catch {
            let undone = await rollback(host: spec.host, previous: previous, pendingCertificate: pendingCertificate)
            return await finish(&operation, error: "\(error); \(undone)")
        }
    }

    /// Runs `operation` (an unexpose) to its end and returns it as stored last.
    func runUnexpose(_ operation: OperationRecord) async -> OperationRecord {
        var operation = operation
        do {
            guard let route = try await store.storedRoute(host: operation.host) else {
                throw StepFailure(reason: "no route made through the admin API serves \(operation.host)")
            }
            operation.spec = route.spec
            try await step("route", &operation) {
                try await store.deleteRoute(host: route.host)
                return "\(route.spec.itemName) removed"
            }
            if route.spec.needsCertificate {
                try await step("certificate", &operation) {
                    let others = try await store.storedRoutes().filter {
                        $0.spec.needsCertificate && $0.spec.certificateNames == route.spec.certificateNames && $0.spec.resolver == route.spec.resolver
                    }
                    if others.isEmpty {
                        return "certificate for \(route.spec.certificateNames.joined(separator: ", ")) released: no API route demands it, it is no longer renewed"
                    }
                    return "certificate kept: still used by \(others.map(\.host).joined(separator: ", "))"
                }
            } else {
                skip("certificate", &operation, detail: "the route had no certificate of ours")
            }
            try await step("activate", &operation) {
                await control.routesChanged(try await store.storedRoutes())
                return "\(route.host) no longer served"
            }
            return await finish(&operation, error: nil)
        } catch {
            return await finish(&operation, error: "\(error)")
        }
    }

    // MARK: Certificates

    /// The certificate for `spec`'s names, asked for through
    /// ``CertificateControl/issue(names:resolver:challenge:dnsCredential:)`` with the request's
    /// challenge and DNS credential, and whether it must still be issued (a
    /// valid one is reused).
    private func obtainCertificate(_ spec: ExposeSpec) async throws -> (CertificateRecord, created: Bool) {
        guard let certificates, let resolver = spec.resolver else {
            throw StepFailure(reason: "this gateway manages no certificates")
        }
        var record = try await certificates.issue(names: spec.certificateNames, resolver: resolver, challenge: spec.challenge,
                                                  dnsCredential: spec.dnsCredential)
        if record.status == .failed {
            // An earlier order failed and waits out its back-off: try again now.
            record = try await certificates.requestRenewal(id: record.id)
        }
        return (record, !record.status.isServable)
    }

    /// Waits until `record` is valid (returned), failed or revoked (thrown with the CA's
    /// reason), or the settings' timeout passes.
    private func waitUntilValid(_ record: CertificateRecord, settings: ExposeSettings) async throws -> CertificateRecord {
        guard let certificates else { throw StepFailure(reason: "this gateway manages no certificates") }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: settings.certificateTimeout)
        var current = record
        while true {
            if current.status.isServable { return current }
            if current.status == .failed && current.failureCount > 0 {
                throw StepFailure(reason: "the certificate order failed: \(current.lastError ?? current.statusReason ?? "no reason given")")
            }
            if current.status == .revoked { throw StepFailure(reason: "the certificate \(current.id) is revoked") }
            if clock.now >= deadline {
                throw StepFailure(reason: "no valid certificate within \(settings.certificateTimeout) (status \(current.status)\(current.statusReason.map { ": \($0)" } ?? ""))")
            }
            try await Task.sleep(for: settings.pollInterval)
            guard let fresh = try await certificates.certificate(id: record.id) else {
                throw StepFailure(reason: "the certificate record \(record.id) was removed while waiting for it")
            }
            current = fresh
        }
    }

    // MARK: Steps

    /// Runs `body` as step `name`: running, then succeeded with its detail or failed with its error.
    private func step(_ name: String, _ operation: inout OperationRecord, _ body: () async throws -> String) async throws {
        guard let index = operation.steps.firstIndex(where: { $0.name == name }) else { return }
        operation.steps[index].status = .running
        operation.steps[index].startedAt = Date()
        await save(operation)
        do {
            let detail = try await body()
            operation.steps[index].status = .succeeded
            operation.steps[index].detail = detail
            operation.steps[index].finishedAt = Date()
            await save(operation)
        } catch {
            operation.steps[index].status = .failed
            operation.steps[index].error = "\(error)"
            operation.steps[index].finishedAt = Date()
            await save(operation)
            throw StepFailure(reason: "\(name) failed: \(error)")
        }
    }

    /// Marks step `name` as not needed.
    private func skip(_ name: String, _ operation: inout OperationRecord, detail: String) {
        guard let index = operation.steps.firstIndex(where: { $0.name == name }) else { return }
        let now = Date()
        operation.steps[index].status = .skipped
        operation.steps[index].detail = detail
        operation.steps[index].startedAt = now
        operation.steps[index].finishedAt = now
    }

    /// Ends `operation`: succeeded, or failed with `error` (steps not reached are skipped).
    private func finish(_ operation: inout OperationRecord, error: String?) async -> OperationRecord {
        operation.status = error == nil ? .succeeded : .failed
        operation.error = error
        operation.finishedAt = Date()
        for index in operation.steps.indices where operation.steps[index].status == .pending || operation.steps[index].status == .running {
            operation.steps[index].status = .skipped
            operation.steps[index].detail = operation.steps[index].detail ?? "not reached"
        }
        await save(operation)
        logger.info("expose operation ended", metadata: [
            "operation": "\(operation.id)", "action": "\(operation.action)", "host": "\(operation.host)", "status": "\(operation.status.rawValue)",
            "error": "\(error ?? "")",
        ])
        return operation
    }

    /// Undoes what a failed expose made: the route as it was (or none), and the certificate
    /// record it waited for when that was never issued and no other API route uses its names.
    /// Returns what was undone, in words.
    private func rollback(host: String, previous: StoredRoute?, pendingCertificate: String?) async -> String {
        var done: [String] = []
        do {
            if let previous {
                try await store.saveRoute(previous)
                done.append("the previous route restored")
            } else {
                try await store.deleteRoute(host: host)
                done.append("the prepared route removed")
            }
            await control.routesChanged(try await store.storedRoutes())
        } catch {
            logger.error("expose rollback incomplete", metadata: ["host": "\(host)", "error": "\(error)"])
            done.append("the route could not be restored: \(error)")
        }
        if let pendingCertificate, let record = try? await certificates?.certificate(id: pendingCertificate), record.serialNumber == nil {
            let users = ((try? await store.storedRoutes()) ?? []).filter {
                $0.spec.needsCertificate && $0.spec.resolver == record.resolver && Set($0.spec.certificateNames) == Set(record.names)
            }
            if users.isEmpty {
                await control.discardCertificate(id: pendingCertificate)
                done.append("the unissued certificate record \(pendingCertificate) discarded")
            }
        }
        return "rolled back: " + done.joined(separator: ", ")
    }

    private func save(_ operation: OperationRecord) async {
        do {
            try await store.saveOperation(operation)
        } catch {
            logger.error("operation not stored", metadata: ["operation": "\(operation.id)", "error": "\(error)"])
        }
    }
}
