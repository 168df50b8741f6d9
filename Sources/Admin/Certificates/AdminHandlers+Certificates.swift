import Foundation
import Hummingbird
import Storage

extension AdminHandlers {
    /// The certificate routes: list, detail (never the key), issue and renew (202: the order
    /// runs on) and revoke (200 once the CA revoked it; it leaves serving at once). Issue, renew
    /// and revoke are audited with the token's name, whatever their result.
    func respondCertificates(to endpoint: AdminRoute.Endpoint, request: Request, context: AdminRequestContext) async -> Response {
        guard let certificates else {
            return AdminResponses.error(.serviceUnavailable, "this gateway manages no certificates (no certificate storage)")
        }
        let now = Date()
        let id = context.parameters.get("id").map { $0.removingPercentEncoding ?? $0 } ?? ""
        do {
            switch endpoint {
            case .certificates:
                let records = try await certificates.certificates()
                return AdminResponses.json(.array(records.map { CertificateView.summary($0, now: now) }))
            case .certificate:
                guard let record = try await certificates.certificate(id: id) else {
                    return AdminResponses.error(.notFound, "certificate not found: \(id)")
                }
                return AdminResponses.json(CertificateView.detail(record, now: now))
            case .issueCertificate:
                let issue: IssueRequest
                do {
                    var request = request
                    issue = try IssueRequest(body: try await request.collectBody(upTo: 64 * 1024), resolvers: certificates.resolvers)
                } catch let error as IssueRequest.Invalid {
                    return AdminResponses.json(.object(["message": .string("\(error)"), "field": .string(error.field)]), status: .badRequest)
                } catch {
                    return AdminResponses.error(.badRequest, "the request body could not be read: \(error)")
                }
                let target = CertificateRecord(id: "new", resolver: issue.resolver, names: issue.names, status: .pending)
                return await change("certificate.issue", record: target, context: context, accepted: true) {
                    try await certificates.issue(names: issue.names, resolver: issue.resolver, challenge: issue.challenge,
                                                 dnsCredential: issue.dnsCredential)
                } answer: { record in
                    AdminResponses.json(.object([
                        "operation": .string("issue"),
                        "status": .string("accepted"),
                        "message": .string(record.status.isServable
                            ? "a valid certificate for these names exists; it is reused"
                            : "order started; follow GET /api/v1/certificates/\(record.id)"),
                        "certificate": CertificateView.summary(record, now: now),
                    ]), status: .accepted)
                }
            case .renewCertificate:
                guard let record = try await certificates.certificate(id: id) else {
                    return AdminResponses.error(.notFound, "certificate not found: \(id)")
                }
                return await change("certificate.renew", record: record, context: context, accepted: true) {
                    try await certificates.requestRenewal(id: id)
                } answer: { changed in
                    AdminResponses.json(.object([
                        "operation": .string("renew"),
                        "status": .string("accepted"),
                        "message": .string("renewal requested; the current certificate serves until the new one is stored"),
                        "certificate": CertificateView.summary(changed, now: now),
                    ]), status: .accepted)
                }
            case .revokeCertificate:
                guard let record = try await certificates.certificate(id: id) else {
                    return AdminResponses.error(.notFound, "certificate not found: \(id)")
                }
                let reason: Int?
                do {
                    var request = request
                    reason = try RevocationRequest.reason(in: try await request.collectBody(upTo: 16 * 1024))
                } catch {
                    return AdminResponses.error(.badRequest, "\(error)")
                }
                return await change("certificate.revoke", record: record, context: context, accepted: false,
                                    note: reason.map { "reason \($0)" }, after: ["reason": reason.map { .int($0) } ?? .null]) {
                    try await certificates.revoke(id: id, reason: reason)
                } answer: { changed in
                    AdminResponses.json(.object([
                        "operation": .string("revoke"),
                        "status": .string("succeeded"),
                        "certificate": CertificateView.summary(changed, now: now),
                    ]))
                }
            default:
                return AdminResponses.error(.internalServerError, "unreachable")
            }
        } catch {
            return AdminResponses.error(.serviceUnavailable, "the certificate storage is unavailable: \(error)")
        }
    }

    /// Runs a change of `record`, audits it (succeeded, accepted or failed, with the token's
    /// name, and the certificate's status, expiry, serial and issuer before and after, `after`
    /// added to the latter) and answers. A failure is 502 with its reason: the CA or the storage
    /// refused; the state after is then the state before (nothing changed), or none for a new
    /// certificate.
    private func change(
        _ action: String, record: CertificateRecord, context: AdminRequestContext, accepted: Bool, note: String? = nil,
        after extra: [String: JSONValue] = [:],
        _ body: () async throws -> CertificateRecord, answer: (CertificateRecord) -> Response
    ) async -> Response {
        let isNew = record.id == "new"
        let before = isNew ? nil : AuditState.certificate(record)
        var entry = AdminChange(action: action, token: context.token?.name ?? "?", target: record.id, names: record.names,
                                resolver: record.resolver, result: accepted ? "accepted" : "succeeded", note: note,
                                certificateID: isNew ? nil : record.id, before: before)
        do {
            let changed = try await body()
            entry.target = changed.id
            entry.certificateID = changed.id
            entry.after = AuditState.certificate(changed).adding(extra)
            await writeAudit(entry, context: context)
            return answer(changed)
        } catch {
            entry.result = "failed"
            entry.after = before
            if isNew { entry.target = record.names.joined(separator: ",") }
            entry.note = [note, "\(error)"].compactMap { $0 }.joined(separator: "; ")
            await writeAudit(entry, context: context)
            return AdminResponses.error(.badGateway, "\(action) \(record.id) failed: \(error)")
        }
    }

    /// Appends `entry` to the audit log; a log that cannot be written is logged, not hidden.
    func writeAudit(_ entry: AdminChange, context: AdminRequestContext) async {
        guard let audit else { return }
        do {
            try await audit.append(entry.event)
        } catch {
            context.logger.error("admin change not audited", metadata: ["action": "\(entry.action)", "target": "\(entry.target)",
                                                                        "error": "\(error)"])
        }
    }
}
