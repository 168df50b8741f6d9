import Config
import Synchronization

/// `inFlightReq`: at most `amount` requests in progress per source; more are answered 429.
/// A request counts from the moment it passes until its response has been sent (or it failed
/// or was abandoned).
public final class InFlightRequests: HTTPMiddleware {
    private let amount: Int64
    private let extractor: SourceExtractor
    private let counts = Mutex<[SourceKey: Int64]>([:])

    /// - Throws: ``MiddlewareConfigurationError`` when `amount` is missing or not positive, or
    ///   the `sourceCriterion` is not valid.
    public init(_ config: Middleware.InFlightReq, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let amount = config.amount, amount > 0 else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).amount", "must be a positive number of requests")
        }
        self.amount = amount
        self.extractor = try SourceExtractor(config.sourceCriterion, keyPath: "\(keyPath).sourceCriterion")
    }

    public var tracksCompletion: Bool { true }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        let source = extractor.source(of: request)
        let admitted = counts.withLock { counts in
            let current = counts[source, default: 0]
            guard current < amount else { return false }
            counts[source] = current + 1
            return true
        }
        return admitted ? .proceed : .respond(.plainError(.tooManyRequests))
    }

    public func requestFinished(_ request: MiddlewareRequest) {
        let source = extractor.source(of: request)
        counts.withLock { counts in
            guard let current = counts[source] else { return }
            if current <= 1 {
                counts[source] = nil
            } else {
                counts[source] = current - 1
            }
        }
    }

    /// Requests in progress for `source` (for tests and metrics).
    func inFlight(_ source: SourceKey) -> Int64 {
        counts.withLock { $0[source, default: 0] }
    }
}
