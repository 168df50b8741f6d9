import NIOHTTP1
import Routing

/// What `redirectScheme` and `redirectRegex` share: rewrite the request's URL with an expression
/// and, when that changes it, answer with a redirect to the result (Traefik's `redirect` handler).
struct Redirect: Sendable {
    /// How the URL the expression sees is made from the request.
    enum URLForm: Sendable {
        /// scheme://host[:port]/path?query with the Host header as received (`redirectRegex`).
        case raw
        /// As ``raw`` but the scheme follows X-Forwarded-Proto and a default port is left out
        /// (`redirectScheme`).
        case client
    }

    let expression: GoRegexp
    let replacement: String
    let permanent: Bool
    let form: URLForm

    func handle(_ request: MiddlewareRequest) -> MiddlewareOutcome {
        let old = url(of: request)
        guard expression.matches(old) else { return .proceed }
        let new = expression.replaceAll(in: old, with: replacement)
        guard new != old else { return .proceed }
        let get = request.head.method == .GET
        let status: HTTPResponseStatus = permanent ? (get ? .movedPermanently : .permanentRedirect) : (get ? .found : .temporaryRedirect)
        return .respond(MiddlewareResponse(status: status, headers: ["Location": new], body: status.reasonPhrase))
    }

    func url(of request: MiddlewareRequest) -> String {
        var scheme = request.isTLS ? "https" : "http"
        let uri = request.head.uri
        switch form {
        case .raw:
            return scheme + "://" + request.host + uri
        case .client:
            let (host, port) = Self.splitHostPort(request.host)
            if let proto = request.header("x-forwarded-proto")?.lowercased() {
                if proto == "http" || proto == "ws" { scheme = "http" }
                if proto == "https" || proto == "wss" { scheme = "https" }
            }
            let defaultPort = (scheme == "http" && port == ":80") || (scheme == "https" && port == ":443")
            return scheme + "://" + host + (defaultPort ? "" : port) + uri
        }
    }

    /// `example.com:8443` → (`example.com`, `:8443`); `[::1]:80` → (`[::1]`, `:80`); no port → (host, "").
    static func splitHostPort(_ host: String) -> (String, String) {
        let parts = HostAndPort(host)
        return (String(parts.host), parts.port.map { ":" + $0 } ?? "")
    }
}
