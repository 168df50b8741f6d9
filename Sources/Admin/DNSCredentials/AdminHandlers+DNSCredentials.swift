import Foundation
import Hummingbird
import Storage

extension AdminHandlers {
    /// The DNS credential routes: create (values checked against the provider, encrypted at
    /// rest), list and detail (variable names, never values), delete, and the pre-flight test.
    /// Create, delete and test are audited with the token's name and without any value.
    func respondDNSCredentials(to endpoint: AdminRoute.Endpoint, request: Request, context: AdminRequestContext) async -> Response {
        guard let dnsCredentials else {
            return AdminResponses.error(.serviceUnavailable, "this gateway stores no DNS credentials (no storage)")
        }
        let id = context.parameters.get("id").map { $0.removingPercentEncoding ?? $0 } ?? ""
        let token = context.token?.name ?? "?"
        do {
            switch endpoint {
            case .dnsCredentials:
                return AdminResponses.json(.array(try await dnsCredentials.credentials().map(DNSCredentialView.credential)))
            case .dnsCredential:
                guard let record = try await dnsCredentials.credential(id: id) else {
                    return AdminResponses.error(.notFound, "DNS credential not found: \(id)")
                }
                return AdminResponses.json(DNSCredentialView.credential(record))
            case .createDNSCredential:
                let create: DNSCredentialRequest
                do {
                    var request = request
                    create = try DNSCredentialRequest(body: try await request.collectBody(upTo: 64 * 1024), providers: dnsCredentials.providers)
                } catch let error as DNSCredentialRequest.Invalid {
                    return Self.invalid(error)
                } catch {
                    return AdminResponses.error(.badRequest, "the request body could not be read: \(error)")
                }
                var entry = AdminChange(action: "dns-credential.create", token: token, target: create.name, result: "succeeded",
                                        note: "provider \(create.provider), variables \(create.entries.keys.sorted().joined(separator: ","))",
                                        after: Self.auditState(name: create.name, provider: create.provider, variableNames: Array(create.entries.keys)))
                do {
                    let record = try await dnsCredentials.create(name: create.name, provider: create.provider, entries: create.entries,
                                                                 createdBy: token)
                    entry.target = record.id
                    entry.note = "name \(record.name), " + (entry.note ?? "")
                    await writeAudit(entry, context: context)
                    return AdminResponses.json(DNSCredentialView.credential(record), status: .created,
                                               headers: [.location: "/api/v1/dns-credentials/\(record.id)"])
                } catch let error as DNSCredentialStoreError {
                    entry.result = "failed"
                    entry.after = nil
                    entry.note = [entry.note, "\(error)"].compactMap { $0 }.joined(separator: "; ")
                    await writeAudit(entry, context: context)
                    return AdminResponses.json(.object(["message": .string("\(error)"), "field": .string("name")]),
                                               status: error.isDuplicateName ? .conflict : .badRequest)
                }
            case .deleteDNSCredential:
                guard let record = try await dnsCredentials.delete(id: id) else {
                    return AdminResponses.error(.notFound, "DNS credential not found: \(id)")
                }
                await writeAudit(AdminChange(action: "dns-credential.delete", token: token, target: record.id, result: "succeeded",
                                             note: "name \(record.name), provider \(record.provider)",
                                             before: Self.auditState(record)), context: context)
                return AdminResponses.json(DNSCredentialView.credential(record))
            case .testDNSCredential:
                guard let record = try await dnsCredentials.credential(id: id) else {
                    return AdminResponses.error(.notFound, "DNS credential not found: \(id)")
                }
                let test: DNSCredentialTestRequest
                do {
                    var request = request
                    test = try DNSCredentialTestRequest(body: try await request.collectBody(upTo: 16 * 1024))
                } catch let error as DNSCredentialRequest.Invalid {
                    return Self.invalid(error)
                } catch {
                    return AdminResponses.error(.badRequest, "the request body could not be read: \(error)")
                }
                guard let report = try await dnsCredentials.test(id: record.id, domain: test.domain) else {
                    return AdminResponses.error(.notFound, "DNS credential not found: \(id)")
                }
                let outcome = report.failedStep.map { "failed at \($0.name): \($0.failureKind ?? "error")" } ?? "passed"
                await writeAudit(AdminChange(action: "dns-credential.test", token: token, target: record.id, names: [test.domain],
                                             result: report.succeeded ? "succeeded" : "failed",
                                             note: "name \(record.name), provider \(record.provider): \(outcome)",
                                             before: Self.auditState(record), after: Self.auditState(record)), context: context)
                return AdminResponses.json(DNSCredentialView.report(report, credential: record))
            default:
                return AdminResponses.error(.internalServerError, "unreachable")
            }
        } catch {
            return AdminResponses.error(.serviceUnavailable, "the DNS credential storage is unavailable: \(error)")
        }
    }

    /// A credential as the audit log records it: name, provider and the variable NAMES (never
    /// their values).
    static func auditState(name: String, provider: String, variableNames: [String]) -> AuditState {
        AuditState(["name": .string(name), "provider": .string(provider), "variables": .strings(variableNames.sorted())])
    }

    private static func auditState(_ record: DNSCredentialRecord) -> AuditState {
        auditState(name: record.name, provider: record.provider, variableNames: record.variableNames)
    }

    private static func invalid(_ error: DNSCredentialRequest.Invalid) -> Response {
        AdminResponses.json(.object(["message": .string("\(error)"), "field": .string(error.field)]), status: .badRequest)
    }
}
