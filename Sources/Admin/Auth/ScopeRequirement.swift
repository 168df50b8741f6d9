import Hummingbird

/// Lets a request through only when its token has ``scope``; otherwise 403 with
/// `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` (RFC 6750 §3.1).
/// Runs after ``BearerAuthentication``.
struct ScopeRequirement: RouterMiddleware {
    typealias Context = AdminRequestContext

    let scope: Scope

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token = context.token, scope.isGranted(by: token.scopes) else {
            return AdminResponses.error(
                .forbidden, "this route needs a token with scope \(scope)",
                headers: [.wwwAuthenticate: "Bearer realm=\"\(BearerAuthentication.realm)\", error=\"insufficient_scope\", scope=\"\(scope)\""]
            )
        }
        return try await next(request, context)
    }
}
