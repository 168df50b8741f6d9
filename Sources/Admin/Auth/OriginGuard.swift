import Hummingbird

/// Keeps browsers on other sites from driving the admin API.
///
/// - A request whose `Origin` header is not the admin listener's own is refused with 403,
///   whatever its method and route (DNS rebinding and cross-site requests carry a foreign origin).
/// - `OPTIONS` requests (CORS preflights) are answered 405 without any `Access-Control-*`
///   header, so no browser ever gets permission for a cross-origin call.
///
/// Clients that are not browsers (curl, the CLI) send no `Origin` and pass.
struct OriginGuard: RouterMiddleware {
    typealias Context = AdminRequestContext

    let origins: ListenerOrigins

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let origin = request.headers[.origin], !origins.contains(origin) {
            context.logger.debug("cross-origin request refused", metadata: ["origin": "\(origin)"])
            return AdminResponses.error(.forbidden, "cross-origin requests to the admin API are refused")
        }
        if request.method == .options {
            return AdminResponses.error(.methodNotAllowed, "the admin API answers no CORS preflight")
        }
        return try await next(request, context)
    }
}
