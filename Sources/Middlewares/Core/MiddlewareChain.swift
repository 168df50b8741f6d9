import NIOCore
import NIOHTTP1

/// A router's middlewares in the order they run, chains already flattened.
public struct MiddlewareChain: Sendable {
    /// The middlewares, first to run first.
    public let middlewares: [any HTTPMiddleware]
    /// The names they were configured under (`name@file`), for logs.
    public let names: [String]
    /// Retries and body buffering the middlewares ask of the exchange.
    public let exchange: ExchangePolicy
    private let anyEditsResponses: Bool
    private let anyTracksCompletion: Bool
    /// Whether some middleware may transform response bodies: the proxy then sends responses
    /// through a ``ResponsePipeline``.
    public let anyTransformsBodies: Bool

    /// A chain of `middlewares` with their configured `names`.
    public init(_ middlewares: [any HTTPMiddleware], names: [String]) {
        self.middlewares = middlewares
        self.names = names
        self.exchange = ExchangePolicy(middlewares)
        self.anyEditsResponses = middlewares.contains { $0.editsResponses }
        self.anyTracksCompletion = middlewares.contains { $0.tracksCompletion }
        self.anyTransformsBodies = middlewares.contains { $0.transformsBodies }
    }

    /// No middlewares.
    public static let empty = MiddlewareChain([], names: [])

    /// Whether there is nothing to run.
    @inline(__always)
    public var isEmpty: Bool { middlewares.isEmpty }

    /// Where a request stands after running (part of) the chain.
    public enum Step: Sendable {
        /// Every middleware let it through: forward it.
        case forward
        /// The middleware at `index` answered; those before it let the request through.
        case answer(index: Int, MiddlewareResponse)
        /// The middleware at `index` suspended the request; resume with ``resume(_:_:at:)``.
        case suspended(index: Int, EventLoopFuture<MiddlewareResumption>)
    }

    /// Runs the request side in order from `start` until one answers or suspends.
    public func runRequest(_ request: inout MiddlewareRequest, from start: Int = 0) -> Step {
        var index = start
        while index < middlewares.count {
            switch middlewares[index].handleRequest(&request) {
            case .proceed:
                index += 1
            case .respond(let response):
                return .answer(index: index, response)
            case .suspend(let future):
                return .suspended(index: index, future)
            }
        }
        return .forward
    }

    /// Applies a suspended middleware's decision and, if it lets the request through, runs the
    /// rest of the chain.
    public func resume(_ resumption: MiddlewareResumption, _ request: inout MiddlewareRequest, at index: Int) -> Step {
        if let response = resumption.response {
            return .answer(index: index, response)
        }
        resumption.edit?(&request)
        return runRequest(&request, from: index + 1)
    }

    /// Runs the response side of the first `passed` middlewares, last first.
    public func runResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest, passed: Int) {
        guard anyEditsResponses else { return }
        var index = min(passed, middlewares.count)
        while index > 0 {
            index -= 1
            let middleware = middlewares[index]
            if middleware.editsResponses {
                middleware.handleResponse(&response, request: request)
            }
        }
    }

    /// Tells the first `passed` middlewares that the request is over.
    public func finish(_ request: MiddlewareRequest, passed: Int) {
        guard anyTracksCompletion else { return }
        for middleware in middlewares.prefix(passed) where middleware.tracksCompletion {
            middleware.requestFinished(request)
        }
    }
}
