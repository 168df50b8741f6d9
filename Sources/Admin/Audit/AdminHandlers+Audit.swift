import Hummingbird
import Storage

extension AdminHandlers {
    /// `GET /api/v1/audit`: the audit log, newest first, filtered as ``AuditFilter`` reads the query.
    func respondAudit(request: Request) async -> Response {
        guard let audit else {
            return AdminResponses.error(.serviceUnavailable, "this gateway keeps no audit log (no storage)")
        }
        let query = request.uri.queryParameters
        var parameters: [String: String] = [:]
        for name in ["since", "until", "action", "target", "token", "result", "limit"] {
            if let value = query.get(name) { parameters[name] = value }
        }
        let filter: AuditFilter
        do {
            filter = try AuditFilter(parameters: parameters)
        } catch {
            return AdminResponses.error(.badRequest, "\(error)")
        }
        do {
            let events = try await audit.events(filter.storageQuery).filter(filter.matches).prefix(filter.limit)
            return AdminResponses.json(.array(events.map(AuditEntryView.entry)))
        } catch {
            return AdminResponses.error(.serviceUnavailable, "the audit log is unavailable: \(error)")
        }
    }
}
