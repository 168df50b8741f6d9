import Hummingbird

/// One route of the admin API: its method, its path (in OpenAPI form, `{name}` for a
/// parameter), who may call it, what answers it and what the OpenAPI document says about it.
/// ``all`` is the single list the server registers and the document is built from; each
/// concern keeps its routes next to its handlers (`CertificateRoutes.swift`, …).
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
    /// What the OpenAPI document says about it.
    let operation: OperationDescription

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

    /// Two routes are the same when their method and path are.
    public static func == (lhs: AdminRoute, rhs: AdminRoute) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path
    }

    /// Hashes the method and the path.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
    }

    init(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ endpoint: Endpoint, _ operation: OperationDescription) {
        self.method = method
        self.path = path
        self.access = access
        self.endpoint = endpoint
        self.operation = operation
    }

    /// Every route the admin API serves, concern by concern.
    public static let all: [AdminRoute] = serverRoutes + traefikRoutes + monitorRoutes + certificateRoutes + auditRoutes
        + exposeRoutes + changeRoutes + dnsCredentialRoutes

    /// The gateway's own routes: health, metrics and the OpenAPI document.
    static let serverRoutes: [AdminRoute] = [
        AdminRoute(.get, "/ping", .open, .ping, OperationDescription(
            "ping", summary: "Health check",
            description: "Answers `OK` while the gateway runs; needs no token.",
            success: .text(200, "The gateway runs.", ["type": "string", "const": "OK"])
        )),
        AdminRoute(.head, "/ping", .open, .ping, OperationDescription(
            "pingHead", summary: "Health check without a body",
            description: "As GET /ping, headers only.",
            success: .empty(200, "The gateway runs.")
        )),
        AdminRoute(.get, "/metrics", .open, .metrics, OperationDescription(
            "getMetrics", summary: "Prometheus metrics",
            description: "Every metric in the Prometheus text format 0.0.4, with Traefik's names under a `gatehouse_` prefix: requests by entry point, router and service (code, method, protocol) with duration histograms, open connections, servers' health, TLS handshakes, served certificates' expiry, configuration reloads, ACME orders. Needs no token, like /ping: the admin listener is on loopback by default (`admin.address`), so keep it there or behind a firewall when the labels (router, service and host names) should stay private.",
            success: .text(200, "The metrics.", ["type": "string"])
        )),
        AdminRoute(.get, "/api/v1/openapi.json", .anyToken, .openAPI, OperationDescription(
            "getOpenAPI", summary: "This document",
            description: "The OpenAPI 3.1 description of every route the admin API serves. Any valid token may read it.",
            success: .json(200, "The OpenAPI document.", ["type": "object"])
        )),
    ]
}
