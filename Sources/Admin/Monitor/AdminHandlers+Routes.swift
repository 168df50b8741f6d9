import Foundation
import Hummingbird
import Storage

extension AdminHandlers {
    /// `GET /api/v1/routes`: the monitor's rows, filtered by `host` (a name the router's hosts
    /// match, wildcards one label deep) and `status` (the router's `enabled`/`disabled`, or its
    /// certificate's status).
    func respondRoutes(state: RuntimeState, request: Request) async -> Response {
        var records: [CertificateRecord] = []
        if let certificates {
            do {
                records = try await certificates.certificates()
            } catch {
                return AdminResponses.error(.serviceUnavailable, "the certificate storage is unavailable: \(error)")
            }
        }
        let query = request.uri.queryParameters
        let host = query.get("host").flatMap { $0.isEmpty ? nil : $0.lowercased() }
        let status = query.get("status").flatMap { $0.isEmpty ? nil : $0.lowercased() }
        let rows = RoutesMonitor(state: state, certificates: records, now: Date()).rows().filter { row in
            guard case .object(let fields) = row else { return false }
            if let host {
                guard case .array(let names)? = fields["hosts"] else { return false }
                let hosts = names.compactMap { name -> String? in
                    if case .string(let text) = name { return text.lowercased() }
                    return nil
                }
                if !hosts.contains(where: { $0 == host || RoutesMonitor.covers([$0], [host]) }) { return false }
            }
            if let status, fields["status"] != .string(status), fields["certificateStatus"] != .string(status) {
                return false
            }
            return true
        }
        return AdminResponses.json(.array(rows))
    }
}
