/// `stripPrefixRegex`: removes the first match of the first expression that matches at the start
/// of the path; the removed text goes to `X-Forwarded-Prefix`.
public struct StripPrefixRegex: HTTPMiddleware {
    let expressions: [GoRegexp]

    /// - Throws: ``MiddlewareConfigurationError`` naming the expression that does not compile.
    public init(regex: [String], keyPath: String) throws(MiddlewareConfigurationError) {
        var compiled: [GoRegexp] = []
        for (index, pattern) in regex.enumerated() {
            compiled.append(try GoRegexp(pattern.trimmingSpaces, keyPath: "\(keyPath).regex[\(index)]"))
        }
        self.expressions = compiled
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        let path = String(request.path)
        for expression in expressions {
            guard let match = expression.firstMatch(in: path), !match.range.isEmpty, match.range.lowerBound == path.startIndex else {
                continue
            }
            let prefix = String(path[match.range])
            request.head.headers.add(name: PathRewriting.forwardedPrefixHeader, value: prefix)
            request.setPath(PathRewriting.ensureLeadingSlash(path[match.range.upperBound...]))
            return .proceed
        }
        return .proceed
    }
}
