import Foundation
import Hummingbird
import Storage

/// Traefik's list and detail answers: items sorted by name, filtered by `status` and `search`,
/// paged by `page` and `per_page` (default 100) with the next page in `X-Next-Page` (1 on the
/// last page); a detail answer is one item or 404 `{"message": "<kind> not found: <name>"}`.
enum TraefikListing {
    /// The default page size.
    static let defaultPerPage = 100
    /// The header carrying the next page number.
    static let nextPageHeader = "X-Next-Page"

    /// The list answer for `infos` (info by qualified name).
    static func list(
        _ infos: [String: JSONObject], request: Request, type: ((JSONObject) -> String?)? = nil
    ) -> Response {
        let query = request.uri.queryParameters
        let status = query.get("status").map { $0.lowercased() }
        let search = query.get("search").map { $0.lowercased() }
        let items = infos.sorted { $0.key < $1.key }.compactMap { name, info -> JSONValue? in
            if let status, !status.isEmpty, info["status"] != .string(status) { return nil }
            if let search, !search.isEmpty {
                var haystack = name.lowercased()
                if case .string(let rule)? = info["rule"] { haystack += " " + rule.lowercased() }
                if !haystack.contains(search) { return nil }
            }
            var object = TraefikView.represent(info, name: name)
            if let type { object.set("type", type(info)) }
            return object.value
        }
        return paginate(items, request: request)
    }

    /// One page of `items`, as `page` and `per_page` ask.
    static func paginate(_ items: [JSONValue], request: Request) -> Response {
        let query = request.uri.queryParameters
        let perPage: Int
        let page: Int
        do {
            perPage = try integer(query.get("per_page"), name: "per_page", default: defaultPerPage)
            page = try integer(query.get("page"), name: "page", default: 1)
        } catch {
            return AdminResponses.error(.badRequest, error.description)
        }
        // Huge values must not overflow (schemathesis sent page=2^59-1 with per_page=62447).
        let (start, overflowed) = (page - 1).multipliedReportingOverflow(by: perPage)
        if overflowed || (start != 0 && start >= items.count) {
            return AdminResponses.error(.badRequest, "invalid request: page: \(page), per_page: \(perPage)")
        }
        let end = start + min(perPage, items.count - start)
        let next = items.count - start > perPage ? page + 1 : 1
        var headers = HTTPFields()
        headers[.init(nextPageHeader)!] = "\(next)"
        return AdminResponses.json(.array(Array(items[start..<end])), headers: headers)
    }

    /// The detail answer for the item named `name` (`kind` names it in the 404 message).
    static func detail(
        _ infos: [String: JSONObject], name: String, kind: String, type: ((JSONObject) -> String?)? = nil
    ) -> Response {
        guard let info = infos[name] else {
            return AdminResponses.error(.notFound, "\(kind) not found: \(name)")
        }
        var object = TraefikView.represent(info, name: name)
        if let type { object.set("type", type(info)) }
        return AdminResponses.json(object.value)
    }

    private static func integer(_ text: String?, name: String, default value: Int) throws(BadQuery) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), number >= 1 else {
            throw BadQuery(description: "invalid request: \(name) must be a positive integer, not \"\(text)\"")
        }
        return number
    }

    private struct BadQuery: Error, CustomStringConvertible {
        let description: String
    }
}
