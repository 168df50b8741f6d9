import Foundation
import Hummingbird
import Storage

extension AdminHandlers {
    /// `GET /api/v1/changes` (newest first; `?status=pending|approved|rejected`),
    /// `GET /api/v1/changes/{id}`, and `POST /api/v1/changes/{id}/approve|reject`.
    func respondChanges(to endpoint: AdminRoute.Endpoint, request: Request, context: AdminRequestContext) async -> Response {
        guard let expose else {
            return AdminResponses.error(.serviceUnavailable, "this gateway has no route storage for the admin API")
        }
        let token = context.token?.name ?? "?"
        let id = context.parameters.get("id") ?? ""
        do {
            switch endpoint {
            case .changes:
                var status: ChangeRecord.Status?
                if let text = request.uri.queryParameters.get("status"), !text.isEmpty {
                    guard let parsed = ChangeRecord.Status(rawValue: text) else {
                        return AdminResponses.error(.badRequest, "status: \"\(text)\" is not pending, approved or rejected")
                    }
                    status = parsed
                }
                return AdminResponses.json(.array(try await expose.changes(status: status).map(ExposeView.change)))
            case .change:
                guard let change = try await expose.change(id: id) else {
                    return AdminResponses.error(.notFound, "change not found: \(id)")
                }
                return AdminResponses.json(ExposeView.change(change))
            case .approveChange:
                let (change, operation) = try await expose.approve(changeID: id, token: token)
                let location = "/api/v1/operations/\(operation.id)"
                return AdminResponses.json(.object([
                    "id": .string(operation.id), "status": .string("accepted"), "location": .string(location),
                    "change": ExposeView.change(change), "operation": ExposeView.operation(operation),
                ]), status: .accepted, headers: [.location: location])
            case .rejectChange:
                return AdminResponses.json(ExposeView.change(try await expose.reject(changeID: id, token: token)))
            default:
                return AdminResponses.error(.internalServerError, "unreachable")
            }
        } catch let error as ExposeError {
            return Self.refused(error)
        } catch {
            return AdminResponses.error(.serviceUnavailable, "the change storage is unavailable: \(error)")
        }
    }
}
