import Foundation
import Hummingbird
import Logging
import Storage

/// Checks the `Authorization: Bearer …` header against the token store (RFC 6750).
///
/// - No header, or another scheme: 401 with `WWW-Authenticate: Bearer realm="gatehouse"`.
/// - A token the store does not know: 401 with `error="invalid_token"`.
/// - A known token: the request goes on with ``AdminRequestContext/token`` set.
///
/// The token itself is never logged; only a known token's name is.
struct BearerAuthentication: RouterMiddleware {
    typealias Context = AdminRequestContext

    static let realm = "gatehouse"

    let tokens: any TokenStore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let secret = Self.bearerToken(in: request.headers[.authorization]) else {
            return AdminResponses.error(
                .unauthorized, "a bearer token is required (Authorization: Bearer <token>)",
                headers: [.wwwAuthenticate: "Bearer realm=\"\(Self.realm)\""]
            )
        }
        let record: TokenRecord?
        do {
            record = try await tokens.authenticate(secret: secret)
        } catch {
            context.logger.error("token check failed", metadata: ["error": "\(error)"])
            return AdminResponses.error(.serviceUnavailable, "the token store is unavailable")
        }
        guard let record else {
            context.logger.debug("unknown bearer token refused", metadata: ["path": "\(request.uri.path)"])
            return AdminResponses.error(
                .unauthorized, "the bearer token is not valid",
                headers: [.wwwAuthenticate: "Bearer realm=\"\(Self.realm)\", error=\"invalid_token\""]
            )
        }
        var context = context
        context.token = record
        context.logger[metadataKey: "token"] = "\(record.name)"
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` value; the scheme is case-insensitive.
    static func bearerToken(in header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

