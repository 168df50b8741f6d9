import Config
import NIOHTTP1
import Routing

/// `ipAllowList`: lets through only clients whose address (found by the `ipStrategy`) is in
/// `sourceRange`; others get `rejectStatusCode` (403 by default) with the status text.
public struct IPAllowList: HTTPMiddleware {
    let ranges: [IPNetwork]
    let strategy: ClientIPStrategy
    let rejectStatus: HTTPResponseStatus

    /// - Throws: ``MiddlewareConfigurationError`` when `sourceRange` is empty or holds something
    ///   that is not an IP or CIDR, or the reject status is not an HTTP status.
    public init(_ config: Middleware.IPAllowList, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let sourceRange = config.sourceRange, !sourceRange.isEmpty else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).sourceRange", "sourceRange is empty: nobody would be let in")
        }
        ranges = try IPRanges.parse(sourceRange, keyPath: "\(keyPath).sourceRange")
        strategy = try ClientIPStrategy(config.ipStrategy, keyPath: "\(keyPath).ipStrategy")
        let code = config.effectiveRejectStatusCode
        guard (100...599).contains(code) else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).rejectStatusCode", "\(code) is not an HTTP status code")
        }
        rejectStatus = HTTPResponseStatus(statusCode: code)
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        if let ip = strategy.clientIP(of: request), ranges.contains(where: { $0.contains(ip) }) {
            return .proceed
        }
        return .respond(MiddlewareResponse(
            status: rejectStatus, headers: ["Content-Type": "text/plain; charset=utf-8"], body: rejectStatus.reasonPhrase
        ))
    }
}
