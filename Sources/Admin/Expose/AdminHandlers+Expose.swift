import Foundation
import Hummingbird
import Storage

extension AdminHandlers {
    /// `POST /api/v1/expose`, `DELETE /api/v1/expose/{host}` and `GET /api/v1/operations/{id}`.
    ///
    /// Expose checks every field first (422 listing each one at fault), refuses a clash with
    /// the file provider (409 naming what clashes), then answers 202 with the operation (or,
    /// with approvals required, the pending change) and a `Location` to follow.
    func respondExpose(to endpoint: AdminRoute.Endpoint, request: Request, context: AdminRequestContext) async -> Response {
        guard let expose else {
            return AdminResponses.error(.serviceUnavailable, "this gateway has no route storage for the admin API")
        }
        let token = context.token?.name ?? "?"
        do {
            switch endpoint {
            case .expose:
                let spec: ExposeSpec
                do {
                    var request = request
                    let body = try await request.collectBody(upTo: 64 * 1024)
                    spec = try ExposeRequest.parse(Data(buffer: body), settings: expose.settings)
                } catch let invalid as InvalidRequest {
                    return Self.invalid(invalid)
                } catch {
                    return AdminResponses.error(.badRequest, "the request body could not be read: \(error)")
                }
                return Self.accepted(try await expose.expose(spec, token: token))
            case .unexpose:
                let raw = context.parameters.get("host") ?? ""
                let text = raw.removingPercentEncoding ?? raw
                guard let host = HostName.normalized(text) else {
                    return Self.invalid(InvalidRequest(errors: [FieldError(field: "host", message: "\"\(text)\" is not a DNS name")]))
                }
                return Self.accepted(try await expose.unexpose(host: host, token: token))
            case .operation:
                let id = context.parameters.get("id") ?? ""
                guard let operation = try await expose.operation(id: id) else {
                    return AdminResponses.error(.notFound, "operation not found: \(id)")
                }
                return AdminResponses.json(ExposeView.operation(operation))
            default:
                return AdminResponses.error(.internalServerError, "unreachable")
            }
        } catch let error as ExposeError {
            return Self.refused(error)
        } catch {
            return AdminResponses.error(.serviceUnavailable, "the route storage is unavailable: \(error)")
        }
    }

    /// 422 with every field at fault.
    static func invalid(_ invalid: InvalidRequest) -> Response {
        AdminResponses.json(.object([
            "message": .string(invalid.description),
            "errors": .array(invalid.errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) }),
        ]), status: .unprocessableContent)
    }

    /// 202 with the operation or the pending change, and where to follow it.
    static func accepted(_ outcome: ExposeService.Outcome) -> Response {
        switch outcome {
        case .operation(let operation):
            let location = "/api/v1/operations/\(operation.id)"
            return AdminResponses.json(.object([
                "id": .string(operation.id), "status": .string("accepted"), "location": .string(location),
                "operation": ExposeView.operation(operation),
            ]), status: .accepted, headers: [.location: location])
        case .pendingChange(let change):
            let location = "/api/v1/changes/\(change.id)"
            return AdminResponses.json(.object([
                "id": .string(change.id), "status": .string("pending_approval"), "location": .string(location),
                "change": ExposeView.change(change),
            ]), status: .accepted, headers: [.location: location])
        }
    }

    /// The status and message of a refusal.
    static func refused(_ error: ExposeError) -> Response {
        switch error {
        case .clash(_, let clashes):
            return AdminResponses.json(.object(["message": .string(error.description), "clashes": .strings(clashes)]), status: .conflict)
        case .busy, .decided:
            return AdminResponses.error(.conflict, error.description)
        case .noRoute, .noChange:
            return AdminResponses.error(.notFound, error.description)
        case .ownChange:
            return AdminResponses.error(.forbidden, error.description)
        }
    }
}
