/// `stripPrefix`: removes the first listed prefix the path starts with, and tells the backend
/// in `X-Forwarded-Prefix`.
public struct StripPrefix: HTTPMiddleware {
    let prefixes: [String]
    let forceSlash: Bool

    /// - Parameters:
    ///   - prefixes: tried in order; the first the path starts with is removed.
    ///   - forceSlash: Traefik's deprecated option: also removes a `/` left at the start.
    public init(prefixes: [String], forceSlash: Bool) {
        self.prefixes = prefixes
        self.forceSlash = forceSlash
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        let path = request.path
        for prefix in prefixes where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            if forceSlash {
                request.setPath("/" + rest.drop(while: { $0 == "/" }))
            } else {
                request.setPath(PathRewriting.ensureLeadingSlash(rest))
            }
            request.head.headers.add(name: PathRewriting.forwardedPrefixHeader, value: prefix.trimmingSpaces)
            return .proceed
        }
        return .proceed
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (Go's `strings.TrimSpace` for ASCII).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
