/// A middleware whose state belongs to one router (Traefik gives each router its own circuit
/// breaker, so that one router's failures do not open another's). The catalog builds the
/// configured middleware once and asks it for a fresh instance for every router that lists it.
protocol PerRouterMiddleware: HTTPMiddleware {
    /// A middleware with the same options and a state of its own.
    func instanceForRouter() -> any HTTPMiddleware
}
