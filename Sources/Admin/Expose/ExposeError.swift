/// Why an expose, unexpose or change request is refused before anything is done.
public enum ExposeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request names routers, services or hosts of the file provider (409).
    case clash(host: String, clashes: [String])
    /// An operation for the host is still running (409).
    case busy(host: String, operationID: String)
    /// No route of the admin API serves the host (404).
    case noRoute(host: String)
    /// No change has this id (404).
    case noChange(id: String)
    /// The change was already decided (409).
    case decided(id: String, status: String)
    /// Four-eyes: the token that requested the change cannot approve it (403).
    case ownChange(id: String, token: String)

    /// What went wrong, for the API's `message`.
    public var description: String {
        switch self {
        case .clash(let host, let clashes):
            "\(host) clashes with the file provider's configuration: \(clashes.joined(separator: "; "))"
        case .busy(let host, let id):
            "operation \(id) for \(host) is still running; try again when it ends"
        case .noRoute(let host):
            "route not found: no route made through the admin API serves \(host)"
        case .noChange(let id):
            "change not found: \(id)"
        case .decided(let id, let status):
            "change \(id) is already \(status)"
        case .ownChange(let id, let token):
            "four-eyes approval: token \"\(token)\" requested change \(id) and cannot approve it; another token with ingress.manage must"
        }
    }
}
