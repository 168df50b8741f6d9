import NIOHTTP1

/// A router's middlewares in the order they run, chains already flattened.
public struct MiddlewareChain: Sendable {
    /// The middlewares, first to run first.
    public let middlewares: [any HTTPMiddleware]
    /// The names they were configured under (`name@file`), for logs.
    public let names: [String]

    /// A chain of `middlewares` with their configured `names`.
    public init(_ middlewares: [any HTTPMiddleware], names: [String]) {
        self.middlewares = middlewares
        self.names = names
    }

    /// No middlewares.
    public static let empty = MiddlewareChain([], names: [])

    /// Whether there is nothing to run.
    @inline(__always)
    public var isEmpty: Bool { middlewares.isEmpty }

    /// Runs the request side in order until one answers.
    ///
    /// - Returns: how many middlewares let the request through (all of them when the result's
    ///   response is `nil`), and the answer of the one that stopped it.
    public func runRequest(_ request: inout MiddlewareRequest) -> (passed: Int, response: MiddlewareResponse?) {
        for (index, middleware) in middlewares.enumerated() {
            if case .respond(let response) = middleware.handleRequest(&request) {
                return (index, response)
            }
        }
        return (middlewares.count, nil)
    }

    /// Runs the response side of the first `passed` middlewares, last first.
    public func runResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest, passed: Int) {
        var index = min(passed, middlewares.count)
        while index > 0 {
            index -= 1
            let middleware = middlewares[index]
            if middleware.editsResponses {
                middleware.handleResponse(&response, request: request)
            }
        }
    }
}
