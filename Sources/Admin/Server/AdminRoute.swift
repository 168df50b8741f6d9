import Hummingbird

/// One route of the admin API: its method, its path (in OpenAPI form, `{name}` for a
/// parameter) and who may call it. ``all`` is the single list the server registers and the
/// OpenAPI document describes; a test holds the two together.
public struct AdminRoute: Sendable, Hashable, CustomStringConvertible {
    /// Who may call a route.
    public enum Access: Sendable, Hashable {
        /// Anyone (health checks).
        case open
        /// Any known token, whatever its scopes.
        case anyToken
        /// A token with this scope (or one that implies it).
        case scope(Scope)
    }

    /// The HTTP method, e.g. `GET`.
    public let method: HTTPRequest.Method
    /// The path, e.g. `/api/http/routers/{name}`.
    public let path: String
    /// Who may call it.
    public let access: Access
    /// What answers it.
    let endpoint: Endpoint

    /// What answers a route.
    enum Endpoint: Sendable, Hashable {
        case ping
        case metrics
        case openAPI
        case rawData
        case overview
        case entryPoints, entryPoint
        case httpRouters, httpRouter
        case httpServices, httpService
        case httpMiddlewares, httpMiddleware
        case tcpRouters, tcpRouter
        case tcpServices, tcpService
        case tcpMiddlewares
        case udpRouters
        case udpServices
        case routes
        case certificates, certificate, issueCertificate
        case renewCertificate, revokeCertificate
        case audit
        // The expose chain: operations and approvals.
        case expose, unexpose, operation
        case changes, change, approveChange, rejectChange
        // DNS credentials.
        case dnsCredentials, dnsCredential, createDNSCredential, deleteDNSCredential, testDNSCredential
    }

    /// `GET /api/rawdata`.
    public var description: String { "\(method) \(path)" }

    private init(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ endpoint: Endpoint) {
        self.method = method
        self.path = path
        self.access = access
        self.endpoint = endpoint
    }

    /// Every route the admin API serves.
    public static let all: [AdminRoute] = [
        AdminRoute(.get, "/ping", .open, .ping),
        AdminRoute(.head, "/ping", .open, .ping),
        AdminRoute(.get, "/metrics", .open, .metrics),
        AdminRoute(.get, "/api/v1/openapi.json", .anyToken, .openAPI),
        AdminRoute(.get, "/api/rawdata", .scope(.ingressRead), .rawData),
        AdminRoute(.get, "/api/overview", .scope(.ingressRead), .overview),
        AdminRoute(.get, "/api/entrypoints", .scope(.ingressRead), .entryPoints),
        AdminRoute(.get, "/api/entrypoints/{name}", .scope(.ingressRead), .entryPoint),
        AdminRoute(.get, "/api/http/routers", .scope(.ingressRead), .httpRouters),
        AdminRoute(.get, "/api/http/routers/{name}", .scope(.ingressRead), .httpRouter),
        AdminRoute(.get, "/api/http/services", .scope(.ingressRead), .httpServices),
        AdminRoute(.get, "/api/http/services/{name}", .scope(.ingressRead), .httpService),
        AdminRoute(.get, "/api/http/middlewares", .scope(.ingressRead), .httpMiddlewares),
        AdminRoute(.get, "/api/http/middlewares/{name}", .scope(.ingressRead), .httpMiddleware),
        AdminRoute(.get, "/api/tcp/routers", .scope(.ingressRead), .tcpRouters),
        AdminRoute(.get, "/api/tcp/routers/{name}", .scope(.ingressRead), .tcpRouter),
        AdminRoute(.get, "/api/tcp/services", .scope(.ingressRead), .tcpServices),
        AdminRoute(.get, "/api/tcp/services/{name}", .scope(.ingressRead), .tcpService),
        AdminRoute(.get, "/api/tcp/middlewares", .scope(.ingressRead), .tcpMiddlewares),
        AdminRoute(.get, "/api/udp/routers", .scope(.ingressRead), .udpRouters),
        AdminRoute(.get, "/api/udp/services", .scope(.ingressRead), .udpServices),
        AdminRoute(.get, "/api/v1/routes", .scope(.ingressRead), .routes),
        AdminRoute(.get, "/api/v1/certificates", .scope(.ingressRead), .certificates),
        AdminRoute(.post, "/api/v1/certificates", .scope(.acmeManage), .issueCertificate),
        AdminRoute(.get, "/api/v1/certificates/{id}", .scope(.ingressRead), .certificate),
        AdminRoute(.post, "/api/v1/certificates/{id}/renew", .scope(.acmeManage), .renewCertificate),
        AdminRoute(.post, "/api/v1/certificates/{id}/revoke", .scope(.acmeManage), .revokeCertificate),
        AdminRoute(.get, "/api/v1/audit", .scope(.admin), .audit),
        // The expose chain (Sources/Admin/Expose, Sources/Admin/Changes).
        AdminRoute(.post, "/api/v1/expose", .scope(.ingressManage), .expose),
        AdminRoute(.delete, "/api/v1/expose/{host}", .scope(.ingressManage), .unexpose),
        AdminRoute(.get, "/api/v1/operations/{id}", .scope(.ingressRead), .operation),
        AdminRoute(.get, "/api/v1/changes", .scope(.ingressRead), .changes),
        AdminRoute(.get, "/api/v1/changes/{id}", .scope(.ingressRead), .change),
        AdminRoute(.post, "/api/v1/changes/{id}/approve", .scope(.ingressManage), .approveChange),
        AdminRoute(.post, "/api/v1/changes/{id}/reject", .scope(.ingressManage), .rejectChange),
    ] + dnsCredentialRoutes

    /// DNS credentials: every route needs acme.manage, reading included (the list says which
    /// providers and variables are configured, which is for whoever manages certificates).
    private static let dnsCredentialRoutes: [AdminRoute] = [
        AdminRoute(.get, "/api/v1/dns-credentials", .scope(.acmeManage), .dnsCredentials),
        AdminRoute(.post, "/api/v1/dns-credentials", .scope(.acmeManage), .createDNSCredential),
        AdminRoute(.get, "/api/v1/dns-credentials/{id}", .scope(.acmeManage), .dnsCredential),
        AdminRoute(.delete, "/api/v1/dns-credentials/{id}", .scope(.acmeManage), .deleteDNSCredential),
        AdminRoute(.post, "/api/v1/dns-credentials/{id}/test", .scope(.acmeManage), .testDNSCredential),
    ]
}
